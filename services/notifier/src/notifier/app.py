"""notifier's composition root."""

from fastapi import FastAPI

from eventing.database import Database
from eventing.http import service_app
from eventing.messaging import Messaging
from eventing.workers import Workers
from notifier import api
from notifier.config import NotifierSettings
from notifier.dispatcher import Dispatcher
from notifier.handlers import HANDLERS
from notifier.metrics import collect_pending
from notifier.tables import Base


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    database = Database(settings, metadata=Base.metadata)
    messaging = Messaging(settings, service="notifier", database=database)
    messaging.consume(HANDLERS, batched=True)
    return service_app(
        settings,
        database=database,
        messaging=messaging,
        workers=Workers(*messaging.loops(), database.purge(), Dispatcher(database, settings)),
        title="idpro notifier",
        routers=[api.router],
        probes={"notifications": database.probe(collect_pending)},
    )
