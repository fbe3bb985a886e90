from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    service_name: str = "notifier"
    http_port: int = 8003
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_use_tls: bool = False
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    mail_from: str = "idpro <no-reply@idpro.example>"
    message_id_domain: str = "idpro.example"
    portal_url: str = "http://localhost:8000"
    max_delivery_attempts: int = Field(default=8, ge=1)
    retry_initial_s: float = Field(default=2.0, gt=0)
    retry_max_s: float = Field(default=300.0, gt=0)
    dispatch_concurrency: int = Field(default=4, ge=1)
