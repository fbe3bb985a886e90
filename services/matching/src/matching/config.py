from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class MatchingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    service_name: str = "matching"
    http_port: int = 8002
