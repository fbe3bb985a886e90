"""matching's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from matching import api
from matching.config import MatchingSettings
from matching.engine import Engine
from matching.frequencies import SurnameFrequencies
from matching.handlers import MatchingHandlers
from matching.tables import Base


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    engine = Engine(settings.thresholds, SurnameFrequencies(ttl_s=settings.frequency_cache_ttl_s))
    handlers = MatchingHandlers(runtime.outbox, engine)
    runtime.consume(handlers.table())
    app = runtime.http_app(title="idpro matching", routers=[api.router])
    app.state.handlers = handlers
    return app
