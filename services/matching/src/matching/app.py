"""matching's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from matching.config import MatchingSettings
from matching.handlers import MatchingHandlers
from matching.tables import Base


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(MatchingHandlers(runtime.outbox).table())
    return runtime.http_app(title="idpro matching")
