"""notifier's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from notifier import api
from notifier.config import NotifierSettings
from notifier.dispatcher import Dispatcher
from notifier.handlers import HANDLERS
from notifier.metrics import collect_pending
from notifier.tables import Base


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(HANDLERS, batched=True)
    runtime.add_worker(Dispatcher(runtime, settings))
    runtime.add_probe("notifications", collect_pending)
    return runtime.http_app(title="idpro notifier", routers=[api.router])
