"""webhooks' composition root."""

import logging

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from webhooks import api
from webhooks.config import WebhooksSettings
from webhooks.deliverer import Deliverer
from webhooks.handlers import HANDLERS
from webhooks.signing import SecretBox
from webhooks.tables import Base


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(HANDLERS, batched=True)
    box = SecretBox(settings.fernet_keys())
    deliverer = Deliverer(
        sessions=runtime.sessions, database_url=runtime.engine.url, settings=settings, box=box
    )
    runtime.add_worker(deliverer)
    # httpcore logs nothing by default; keep it that way: receivers' URLs may carry tokens.
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    app = runtime.http_app(title="idpro webhooks", routers=[api.router])
    app.state.webhooks = api.Services(sessions=runtime.sessions, box=box, settings=settings)
    return app
