"""The outbox relay: publish, then mark. Woken by LISTEN/NOTIFY, polling as a fallback."""

import asyncio
import json
import zlib

from aiokafka import AIOKafkaProducer
from opentelemetry.trace import SpanKind
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing import tracing
from eventing.logs import get_logger
from eventing.metrics import OUTBOX_PUBLISHED
from eventing.outbox import encode_headers
from eventing.topics import never_auto_create
from eventing.waker import Waker
from eventing.workers import BackgroundLoop, Backoff

log = get_logger("eventing.relay")


def make_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    """acks=all; no idempotence (not every broker supports it): consumers deduplicate instead.

    Sending to a topic nobody declared fails: it is never auto-created (eventing.topics)."""
    never_auto_create()
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=15000,
    )


class Relay(BackgroundLoop):
    """Publishes unpublished outbox rows in id order; one active relay per database at a time."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        table: Table,
        producer: AIOKafkaProducer,
        channel: str,
        poll_interval_s: float = 1.0,
        batch_size: int = 200,
        linger_s: float = 0.0,
        backoff: Backoff = Backoff(0.2, 10.0),  # noqa: B008 - frozen
    ) -> None:
        """`linger_s`: how long a woken relay waits for more rows before it publishes, so that
        rows staged one by one go in one round (one transaction, one produce request) instead
        of a round each; only for events off the path to an answer (0: at once)."""
        super().__init__("relay", interval_s=poll_interval_s, backoff=backoff)
        self.engine, self.table, self.producer, self.channel = engine, table, producer, channel
        self.batch_size, self.linger_s = batch_size, linger_s
        # Several replicas may run a relay; an advisory lock lets one publish at a time, which
        # keeps the per-key order of the outbox on the topic.
        self.lock_key = zlib.crc32(f"outbox:{table.name}".encode())
        self.waker = Waker(engine.url, channel=channel, poll_interval_s=poll_interval_s)

    async def on_start(self) -> None:
        await self.waker.start()

    async def on_stop(self) -> None:
        await self.waker.stop()

    async def step(self) -> bool:
        return await self.publish_pending() >= self.batch_size

    async def idle(self) -> None:
        await self.waker.wait()
        if self.linger_s > 0:
            await asyncio.sleep(self.linger_s)

    async def publish_pending(self) -> int:
        """Publish one batch; the rows are marked only once the broker acknowledged all of them."""
        t = self.table
        # The advisory lock and the batch in one round trip: the lock is a CTE of its own (a
        # volatile call: evaluated once, first); without it, no rows, as if nothing were due.
        lock = select(func.pg_try_advisory_xact_lock(self.lock_key).label("got")).cte("relay_lock")
        async with self.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload, t.c.headers)
                    .join_from(t, lock, lock.c.got)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True, of=t)
                )
            ).all()
            if not rows:
                return 0
            futures = [await self._send(row) for row in rows]
            await asyncio.gather(*futures)
            await conn.execute(
                update(t)
                .where(t.c.id.in_([row.id for row in rows]))
                .values(published_at=func.now())
            )
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _send(self, row) -> asyncio.Future:
        """Enqueue one row; traced, it is sent in a span continuing the trace it was staged in."""
        value = json.dumps(row.payload, separators=(",", ":")).encode()
        if not tracing.enabled():
            return await self.producer.send(
                row.topic, value=value, key=row.key.encode(), headers=encode_headers(row.headers)
            )
        # aiokafka's instrumentation injects the traceparent of its send span (a child of ours).
        headers = {k: v for k, v in row.headers.items() if k not in tracing.TRACE_HEADERS}
        with tracing.span(
            f"{row.topic} relay",
            parent=tracing.context_of(row.headers),
            kind=SpanKind.PRODUCER,
            attributes={"messaging.destination.name": row.topic, "idpro.outbox_id": row.id},
        ):
            return await self.producer.send(
                row.topic, value=value, key=row.key.encode(), headers=encode_headers(headers)
            )
