from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class NotifierSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore")

    service_name: str = "notifier"
    http_port: int = 8003
    # Consumer fetch wait (ms). Tansu answers a fetch that finds nothing only at its max wait:
    # off the path to the number, fewer empty fetches at rest (CPU of this and the broker).
    fetch_max_wait_ms: int = Field(default=500, ge=0)
    # NotificationSent and NotificationFailed only feed history's timeline: the marks of a
    # quarter second go out in one relay round (a round per e-mail was four round trips).
    relay_linger_s: float = Field(default=0.25, ge=0)
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_use_tls: bool = False
    smtp_timeout_s: float = Field(default=10.0, gt=0)
    mail_from: str = "idpro <no-reply@idpro.example>"
    # The right-hand side of every Message-ID (repository.claim_due derives the left): a host name.
    message_id_domain: str = Field(
        default="idpro.example", pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$"
    )
    portal_url: str = "http://localhost:8000"
    # Transient trouble is retried without a final give-up: a 4xx about one message backs that
    # message off (capped at retry_max_s); an unavailable server pauses the dispatcher (capped at
    # smtp_pause_max_s) and every message is due again the moment it answers.
    retry_initial_s: float = Field(default=2.0, gt=0)
    retry_max_s: float = Field(default=300.0, gt=0)
    smtp_pause_initial_s: float = Field(default=1.0, gt=0)
    smtp_pause_max_s: float = Field(default=30.0, gt=0)
    # A claimed notification is another lane's only after this (its claimer died mid-exchange).
    claim_lease_s: float = Field(default=30.0, gt=0)
    # One connection carries consecutive messages of a backlog (servers cap messages per session).
    smtp_messages_per_connection: int = Field(default=100, ge=1)
    dispatch_concurrency: int = Field(default=4, ge=1)

    @model_validator(mode="after")
    def _lease_outlives_an_exchange(self) -> "NotifierSettings":
        if self.claim_lease_s <= self.smtp_timeout_s:
            raise ValueError("claim_lease_s must exceed smtp_timeout_s")
        return self
