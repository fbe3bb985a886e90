"""history's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from history import api
from history.config import HistorySettings
from history.handlers import HANDLERS, on_events
from history.tables import Base


def create_app(settings: HistorySettings | None = None) -> FastAPI:
    settings = settings or HistorySettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(HANDLERS, batch_handler=on_events)
    app = runtime.http_app(title="idpro history", routers=[api.router])
    app.state.cursor_key = settings.cursor_key()
    return app
