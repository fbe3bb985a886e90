"""intake's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from intake import api
from intake.config import IntakeSettings
from intake.handlers import HANDLERS
from intake.tables import Base


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(HANDLERS)
    return runtime.http_app(title="idpro intake", routers=[api.router])
