"""webhooks' composition root."""

import logging

from fastapi import FastAPI

from eventing.database import Database
from eventing.http import service_app
from eventing.messaging import Messaging
from eventing.workers import Workers
from webhooks import api
from webhooks.config import WebhooksSettings
from webhooks.deliverer import Deliverer
from webhooks.handlers import HANDLERS
from webhooks.signing import SecretBox
from webhooks.tables import Base


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    settings = settings or WebhooksSettings()
    database = Database(settings, metadata=Base.metadata)
    # It publishes no event (eventing.topology): no relay; the deliverer sends HTTPS POSTs.
    messaging = Messaging(settings, service="webhooks", database=database)
    messaging.consume(HANDLERS, batched=True)
    box = SecretBox(settings.fernet_keys())
    deliverer = Deliverer(
        sessions=database.sessions, database_url=database.engine.url, settings=settings, box=box
    )
    # httpcore logs nothing by default; keep it that way: receivers' URLs may carry tokens.
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return service_app(
        settings,
        database=database,
        messaging=messaging,
        workers=Workers(*messaging.loops(), database.purge(), deliverer),
        title="idpro webhooks",
        routers=[api.router],
        provide_parts={api.SERVICES: api.Services(box=box, settings=settings)},
    )
