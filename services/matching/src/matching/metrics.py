"""matching's own metrics: decisions by outcome, search and score time, the review queue."""

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from eventing.metrics import LATENCY_BUCKETS

DECISIONS = Counter(
    "idpro_matching_decisions_total",
    "Decisions committed, by outcome and by whom (system or agent)",
    ["outcome", "decided_by"],
)
SEARCH_SECONDS = Histogram(
    "idpro_matching_search_seconds",
    "Time to find and load a request's registry candidates",
    buckets=LATENCY_BUCKETS,
)
SCORE_SECONDS = Histogram(
    "idpro_matching_score_seconds",
    "Time to score a request's candidates and decide",
    buckets=LATENCY_BUCKETS,
)
REVIEW_QUEUE = Gauge("idpro_review_queue_size", "Review cases not closed, by status", ["status"])
REVIEW_OLDEST_AGE = Gauge(
    "idpro_review_queue_oldest_age_seconds", "Age of the oldest review case not closed (0: none)"
)

_QUEUE = text(
    "SELECT status, count(*), extract(epoch FROM now() - min(opened_at)) "
    "FROM review_cases WHERE status <> 'closed' GROUP BY status"
)


def count_decision(tx: AsyncSession, *, outcome: str, decided_by: str) -> None:
    """Count the decision once its transaction commits (a rolled-back one is not counted)."""
    event.listen(
        tx.sync_session,
        "after_commit",
        lambda _session: DECISIONS.labels(outcome, decided_by).inc(),
        once=True,
    )


async def collect_review_queue(conn: AsyncConnection) -> None:
    rows = (await conn.execute(_QUEUE)).all()
    counts = {status: count for status, count, _ in rows}
    for status in ("open", "claimed"):
        REVIEW_QUEUE.labels(status).set(counts.get(status, 0))
    REVIEW_OLDEST_AGE.set(max((float(age) for *_, age in rows), default=0.0))
