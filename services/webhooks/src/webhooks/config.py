from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings

# Development only (make up, tests): secrets at rest are still encrypted, with a key everyone knows.
DEV_SECRETS_KEY = "aWRwcm8td2ViaG9va3MtZGV2LW9ubHkta2V5LTAwMDA="  # noqa: S105


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEBHOOKS_", extra="ignore")

    service_name: str = "webhooks"
    http_port: int = 8005
    # Consumer fetch wait (ms). Tansu answers a fetch that finds nothing only at its max wait:
    # off the path to the number, fewer empty fetches at rest (CPU of this and the broker).
    fetch_max_wait_ms: int = Field(default=500, ge=0)

    # Development lets endpoints be http://127.0.0.1:<port> (a receiver the tests start) and
    # falls back to a well-known encryption key; every other private address stays refused.
    development: bool = False
    # Fernet keys (comma-separated, newest first) that encrypt endpoint secrets at rest; an old
    # key stays in the list until every secret was re-encrypted with the new one.
    secrets_keys: SecretStr | None = None
    # Old secret still signs for this long after a rotation: receivers switch without downtime.
    rotation_grace_s: float = Field(default=24 * 3600, ge=0)

    # Retries: capped exponential with jitter until the horizon, then the delivery has failed.
    retry_initial_s: float = Field(default=5.0, gt=0)
    retry_max_s: float = Field(default=6 * 3600, gt=0)
    retry_horizon_s: float = Field(default=3 * 24 * 3600, gt=0)
    # One receiver may answer slowly: it holds at most this long and this many of our slots.
    request_timeout_s: float = Field(default=10.0, gt=0)
    per_endpoint_concurrency: int = Field(default=4, ge=1)
    max_in_flight: int = Field(default=64, ge=1)
    # A claimed delivery whose worker died is due again after this long.
    lease_s: float = Field(default=60.0, gt=0)

    @model_validator(mode="after")
    def _keys_outside_development(self) -> "WebhooksSettings":
        if self.secrets_keys is None and not self.development:
            raise ValueError("WEBHOOKS_SECRETS_KEYS is required outside development")
        if self.lease_s <= self.request_timeout_s:
            raise ValueError(
                "lease_s must exceed request_timeout_s: a live attempt keeps its lease"
            )
        return self

    def fernet_keys(self) -> list[str]:
        if self.secrets_keys is None:
            return [DEV_SECRETS_KEY]
        return [k.strip() for k in self.secrets_keys.get_secret_value().split(",") if k.strip()]
