from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class HistorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HISTORY_", extra="ignore")

    service_name: str = "history"
    http_port: int = 8004
