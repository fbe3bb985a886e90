"""matching's composition root."""

from fastapi import FastAPI

from eventing.database import Database
from eventing.http import service_app
from eventing.messaging import Messaging
from eventing.workers import Workers
from matching.api import ROUTERS
from matching.api.common import MATCHING
from matching.config import MatchingSettings
from matching.handlers import bound
from matching.metrics import collect_review_queue
from matching.repository import TermFrequencies
from matching.service import Matching
from matching.tables import Base


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    database = Database(settings, metadata=Base.metadata)
    messaging = Messaging(settings, service="matching", database=database)
    matching = Matching(
        settings.thresholds,
        outbox=database.outbox,
        frequencies=TermFrequencies(ttl_s=settings.frequency_cache_ttl_s),
        legal_working_age=settings.legal_working_age,
    )
    messaging.consume(bound(matching), batched=True)
    return service_app(
        settings,
        database=database,
        messaging=messaging,
        workers=Workers(*messaging.loops(), database.purge()),
        title="idpro matching",
        routers=ROUTERS,
        provide_parts={MATCHING: matching},
        probes={"review_queue": database.probe(collect_review_queue)},
    )
