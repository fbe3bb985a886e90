"""matching's composition root."""

from fastapi import FastAPI

from eventing.runtime import ServiceRuntime
from matching.api import ROUTERS
from matching.config import MatchingSettings
from matching.handlers import handlers
from matching.metrics import collect_review_queue
from matching.repository import TermFrequencies
from matching.service import Matching
from matching.tables import Base


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    frequencies = TermFrequencies(ttl_s=settings.frequency_cache_ttl_s)
    matching = Matching(
        settings.thresholds,
        outbox=runtime.outbox,
        frequencies=frequencies,
        legal_working_age=settings.legal_working_age,
    )
    runtime.consume(handlers(matching))
    runtime.add_probe("review_queue", collect_review_queue)
    app = runtime.http_app(title="idpro matching", routers=ROUTERS)
    app.state.matching = matching
    return app
