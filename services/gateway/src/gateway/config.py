from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    """The gateway owns no database and no topic: upstream URLs, identity and HTTP only."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    intake_url: str = "http://127.0.0.1:8001"
    matching_url: str = "http://127.0.0.1:8002"
    notifier_url: str = "http://127.0.0.1:8003"
    history_url: str = "http://127.0.0.1:8004"
    upstream_timeout_s: float = Field(default=30.0, gt=0)

    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "idpro-dev-idp"
    jwt_audience: str = "idpro"
    # The development identity provider signs tokens for anyone who asks: never on in production.
    dev_idp_enabled: bool = False
    dev_idp_private_key_file: Path | None = None
    dev_token_ttl_s: int = Field(default=8 * 3600, gt=0)
    log_level: str = "INFO"

    def public_key(self) -> str:
        if self.jwt_public_key_file is None:
            raise ValueError("GATEWAY_JWT_PUBLIC_KEY_FILE is required: tokens are verified")
        return self.jwt_public_key_file.read_text()
