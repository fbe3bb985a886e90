import hashlib

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings


class HistorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HISTORY_", extra="ignore")

    service_name: str = "history"
    http_port: int = 8004
    # Signs the list's cursors. Unset, a key derived from the database URL: every replica holds
    # it and no client does, so a cursor made by one replica reads on another.
    cursor_secret: SecretStr | None = None

    def cursor_key(self) -> bytes:
        secret = self.cursor_secret or self.database_url
        return hashlib.sha256(b"history-cursor:" + secret.get_secret_value().encode()).digest()
