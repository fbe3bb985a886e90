import uvicorn

from gateway.config import GatewaySettings

settings = GatewaySettings()
uvicorn.run(
    "gateway.app:create_app",
    factory=True,
    host=settings.http_host,
    port=settings.http_port,
    log_config=None,
)
