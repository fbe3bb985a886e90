"""Settings every service shares; each service subclasses with its own env prefix."""

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Infrastructure settings; the subclass sets `env_prefix` (e.g. INTAKE_)."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str
    database_url: SecretStr
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    topic_partitions: int = Field(default=6, ge=1)
    http_host: str = "127.0.0.1"
    http_port: int = 8000

    jwt_public_key: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "idpro-dev-idp"
    jwt_audience: str = "idpro"

    # Development only: accept the development identity provider's tokens and serve /docs and
    # /openapi.json. Off by default, so a production-like deployment refuses both.
    development: bool = False

    log_level: str = "INFO"
    relay_poll_interval_s: float = Field(default=1.0, gt=0)
    relay_batch_size: int = Field(default=200, ge=1)
    # A woken relay waits this long for more rows before publishing (eventing.relay.Relay).
    relay_linger_s: float = Field(default=0.0, ge=0)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_budget_s: float = Field(default=60.0, gt=0)
    consumer_backoff_initial_s: float = Field(default=0.2, gt=0)
    consumer_backoff_max_s: float = Field(default=10.0, gt=0)
    fetch_max_wait_ms: int = Field(default=100, ge=0)
    consumer_batch_size: int = Field(default=100, ge=1)
    # Requests handled side by side within a batch (each in its own transaction and connection).
    consumer_concurrency: int = Field(default=8, ge=1)
    db_pool_size: int = Field(default=12, ge=1)
    # Consumer group membership. A member that stops heart-beating (kill -9, a lost node) keeps
    # its partitions until the session times out; on the embedded broker (Tansu) a replacement
    # then waits ~1.8 session timeouts for them (10 s: 18.6 s; 6 s: 11.5 s, measured). 6 s is
    # the least a stock Kafka broker accepts (group.min.session.timeout.ms); heartbeats at 1 s
    # (at most a third of it). With an instance id (static membership, KIP-345) a restarted
    # member takes its partitions back at once (6.4 s on Tansu): give one only to a member whose
    # identity survives a restart and is never shared (one process per service in devstack, a
    # StatefulSet's pod name), never to replicas of a Deployment or compose's scaled services.
    consumer_session_timeout_ms: int = Field(default=6000, ge=1000)
    consumer_heartbeat_interval_ms: int = Field(default=1000, ge=100)
    consumer_instance_id: str | None = Field(default=None, min_length=1, max_length=200)
    # Published outbox rows and inbox rows are purged after these windows (the inbox outlives
    # the outbox, so an event replayed from the outbox still finds its inbox row).
    outbox_retention_days: float = Field(default=7, gt=0)
    inbox_retention_days: float = Field(default=30, gt=0)
    plumbing_purge_interval_s: float = Field(default=3600, gt=0)
    # A broker that lost its topics (the embedded one after a restart) is noticed within
    # broker_check_interval_s; the events of the outbox created in the window before are sent again.
    broker_check_interval_s: float = Field(default=5.0, gt=0)
    broker_replay_window_s: float = Field(default=3600, gt=0)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if not url.startswith("postgresql+asyncpg://"):
            raise ValueError("database_url must use the postgresql+asyncpg:// driver")
        return value

    @model_validator(mode="after")
    def _heartbeats_within_session(self) -> "ServiceSettings":
        if self.consumer_heartbeat_interval_ms * 3 > self.consumer_session_timeout_ms:
            raise ValueError(
                "consumer_heartbeat_interval_ms must be at most a third of the session"
            )
        return self

    @model_validator(mode="after")
    def _inbox_outlives_outbox(self) -> "ServiceSettings":
        if self.inbox_retention_days < self.outbox_retention_days:
            raise ValueError("inbox_retention_days must be at least outbox_retention_days")
        return self

    @model_validator(mode="after")
    def _one_public_key(self) -> "ServiceSettings":
        if self.jwt_public_key is None and self.jwt_public_key_file is not None:
            self.jwt_public_key = self.jwt_public_key_file.read_text()
        if not self.jwt_public_key:
            raise ValueError(
                "jwt_public_key or jwt_public_key_file is required: tokens are verified"
            )
        return self
