"""history's composition root: it consumes every topic and publishes nothing (so no relay runs:
eventing.topology)."""

from fastapi import FastAPI

from eventing.database import Database
from eventing.http import service_app
from eventing.messaging import Messaging
from eventing.workers import Workers
from history import api
from history.config import HistorySettings
from history.handlers import HANDLERS, on_events
from history.tables import Base


def create_app(settings: HistorySettings | None = None) -> FastAPI:
    settings = settings or HistorySettings()
    database = Database(settings, metadata=Base.metadata)
    messaging = Messaging(settings, service="history", database=database)
    messaging.consume(HANDLERS, batch_handler=on_events)
    workers = Workers(*messaging.loops(), database.purge())
    return service_app(
        settings,
        database=database,
        messaging=messaging,
        workers=workers,
        title="idpro history",
        routers=[api.router],
        provide_parts={api.CURSOR_KEY: settings.cursor_key()},
    )
