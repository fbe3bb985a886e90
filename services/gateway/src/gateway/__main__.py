"""`idpro-gateway` (or `python -m gateway`): serve the portal and the API."""

import uvicorn

from gateway.config import GatewaySettings


def main() -> None:
    settings = GatewaySettings()
    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
    )


if __name__ == "__main__":
    main()
