import hashlib

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class HistorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HISTORY_", extra="ignore")

    service_name: str = "history"
    http_port: int = 8004
    # Consumer fetch wait (ms). Tansu answers a fetch that finds nothing only at its max wait:
    # off the path to the number, fewer empty fetches at rest (CPU of this and the broker).
    fetch_max_wait_ms: int = Field(default=500, ge=0)
    # Signs the list's cursors. Unset, a key derived from the database URL: every replica holds
    # it and no client does, so a cursor made by one replica reads on another.
    cursor_secret: SecretStr | None = None

    def cursor_key(self) -> bytes:
        secret = self.cursor_secret or self.database_url
        return hashlib.sha256(b"history-cursor:" + secret.get_secret_value().encode()).digest()
