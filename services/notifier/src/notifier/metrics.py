"""notifier's own metrics: e-mails pending by age, sent, failed, and the SMTP exchange's time."""

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventing.metrics import LATENCY_BUCKETS

SENT = Counter("idpro_notifications_sent_total", "E-mails accepted by the SMTP server", ["kind"])
FAILED = Counter(
    "idpro_notifications_failed_total",
    "Failed delivery attempts, by whether the notification is given up (permanent) or retried",
    ["kind", "permanent"],
)
SMTP_SECONDS = Histogram(
    "idpro_smtp_send_seconds", "Time of one SMTP exchange, success or not", buckets=LATENCY_BUCKETS
)
PENDING = Gauge(
    "idpro_notifications_pending", "Notifications not yet sent nor given up, by age", ["age"]
)
OLDEST_PENDING_AGE = Gauge(
    "idpro_notifications_oldest_pending_age_seconds",
    "Age of the oldest notification still pending (0: none)",
)

# Upper bounds in seconds of the age label; the last band is open-ended.
AGE_BANDS = (("lt_1m", 60), ("1m_to_15m", 900), ("15m_to_1h", 3600), ("gt_1h", None))

_BANDED = text(
    "SELECT count(*) FILTER (WHERE age < 60), "
    "count(*) FILTER (WHERE age >= 60 AND age < 900), "
    "count(*) FILTER (WHERE age >= 900 AND age < 3600), "
    "count(*) FILTER (WHERE age >= 3600), coalesce(max(age), 0) "
    "FROM (SELECT extract(epoch FROM now() - created_at) AS age FROM notifications "
    "WHERE status IN ('pending', 'sending')) pending"
)


async def collect_pending(conn: AsyncConnection) -> None:
    """One pass over the pending rows (the partial index `ix_notifications_due` holds them)."""
    *counts, oldest = (await conn.execute(_BANDED)).one()
    for (band, _), count in zip(AGE_BANDS, counts, strict=True):
        PENDING.labels(band).set(count)
    OLDEST_PENDING_AGE.set(float(oldest))
