"""`python -m <service>`: run the service's ASGI app factory with uvicorn."""

import uvicorn

from eventing.config import ServiceSettings


def main(factory: str, settings_class: type[ServiceSettings]) -> None:
    settings = settings_class()
    uvicorn.run(
        factory,
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )
