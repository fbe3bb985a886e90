import secrets
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_CLIENT_SECRET = "dev-portal-secret"  # noqa: S105 - the embedded development provider only


class GatewaySettings(BaseSettings):
    """The gateway owns no database and no topic: upstream URLs, identity and HTTP only."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # /metrics is served here, on http_host, never on the public port (the ingress forwards that
    # one); None: no /metrics at all.
    metrics_port: int | None = None
    # The address browsers use (redirect URIs, the embedded provider's issuer); default: host:port.
    public_url: str | None = None
    intake_url: str = "http://127.0.0.1:8001"
    matching_url: str = "http://127.0.0.1:8002"
    notifier_url: str = "http://127.0.0.1:8003"
    history_url: str = "http://127.0.0.1:8004"
    webhooks_url: str = "http://127.0.0.1:8005"
    upstream_timeout_s: float = Field(default=30.0, gt=0)
    # An answer is read whole before it is passed on (a failure half-way becomes a 502 problem).
    upstream_buffer_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    # Long polls (…?wait=) held open towards intake at once: a pool of their own, so that waiting
    # clients never crowd out other calls; one more is answered 503 at once.
    max_waiting: int = Field(default=500, ge=1)
    # intake's INTAKE_MAX_UPLOAD_BYTES: a scan upload may be that plus its multipart framing.
    intake_max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    jwt_public_key_file: Path | None = None
    jwt_issuer: str = "idpro-dev-idp"
    jwt_audience: str = "idpro"
    # The development identity provider signs tokens for anyone who asks: never on in production.
    dev_idp_enabled: bool = False
    dev_idp_private_key_file: Path | None = None
    dev_token_ttl_s: int = Field(default=8 * 3600, gt=0)

    # Sign-in: the operator's OpenID Connect provider; empty = the embedded development one.
    oidc_issuer: str | None = None
    oidc_client_id: str = "idpro-portal"
    oidc_client_secret: SecretStr | None = None
    oidc_scope: str = "openid profile"

    # The gateway's own database: sessions and rate-limit buckets, shared by every replica.
    database_url: SecretStr | None = None
    db_pool_size: int = Field(default=10, ge=1)

    # Sessions live in the database; the cookie holds a random id. The secret encrypts the
    # access token kept in the session (every replica needs the same one).
    session_secret: SecretStr | None = None
    # None: Secure unless the development provider is on (plain http on localhost).
    session_cookie_secure: bool | None = None
    session_max_age_s: int = Field(default=8 * 3600, gt=0)

    # Rate limits (shared by the replicas): /api/* per user and per employer, sign-in per client
    # address, portal pages per user (or address before sign-in).
    rate_user_per_minute: int = Field(default=300, gt=0)
    rate_user_burst: int = Field(default=60, gt=0)
    rate_employer_per_minute: int = Field(default=1200, gt=0)
    rate_employer_burst: int = Field(default=200, gt=0)
    rate_signin_per_minute: int = Field(default=30, gt=0)
    rate_signin_burst: int = Field(default=20, gt=0)
    rate_page_per_minute: int = Field(default=240, gt=0)
    rate_page_burst: int = Field(default=120, gt=0)

    # Development only: the SMTP sink's folder of .eml files, shown at /dev/mailbox.
    mailbox_folder: Path | None = None
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _secrets_for_production(self) -> "GatewaySettings":
        if self.database_url is None:
            raise ValueError(
                "GATEWAY_DATABASE_URL is required: sessions and rate limits live there"
            )
        if self.dev_idp_enabled:
            return self
        if self.session_secret is None or len(self.session_secret.get_secret_value()) < 32:
            raise ValueError("GATEWAY_SESSION_SECRET (32+ characters) is required")
        if self.oidc_issuer is None or self.oidc_client_secret is None:
            raise ValueError(
                "GATEWAY_OIDC_ISSUER and GATEWAY_OIDC_CLIENT_SECRET are required "
                "without the development identity provider"
            )
        return self

    def public_key(self) -> str:
        if self.jwt_public_key_file is None:
            raise ValueError("GATEWAY_JWT_PUBLIC_KEY_FILE is required: tokens are verified")
        return self.jwt_public_key_file.read_text()

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    @property
    def embedded_oidc(self) -> bool:
        return self.oidc_issuer is None and self.dev_idp_enabled

    @property
    def issuer_url(self) -> str:
        return self.oidc_issuer or f"{self.base_url}/dev/oidc"

    @property
    def client_secret(self) -> str:
        if self.oidc_client_secret is not None:
            return self.oidc_client_secret.get_secret_value()
        return DEV_CLIENT_SECRET

    @property
    def cookie_secure(self) -> bool:
        return (
            (not self.dev_idp_enabled)
            if self.session_cookie_secure is None
            else self.session_cookie_secure
        )

    def session_key(self) -> str:
        """The signing secret; the development provider alone may run on a random one."""
        if self.session_secret is not None:
            return self.session_secret.get_secret_value()
        return secrets.token_urlsafe(48)
