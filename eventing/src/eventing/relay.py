"""The outbox relay: publish, then mark. Woken by LISTEN/NOTIFY, polling as a fallback."""

import asyncio
import contextlib
import json
import zlib

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.logs import get_logger
from eventing.outbox import encode_headers
from eventing.waker import Waker

log = get_logger("eventing.relay")


def make_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    """acks=all; no idempotence (not every broker supports it): consumers deduplicate instead."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=15000,
    )


class Relay:
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
    ) -> None:
        self.engine, self.table, self.producer, self.channel = engine, table, producer, channel
        self.poll_interval_s, self.batch_size = poll_interval_s, batch_size
        # Several replicas may run a relay; an advisory lock lets one publish at a time, which
        # keeps the per-key order of the outbox on the topic.
        self.lock_key = zlib.crc32(f"outbox:{table.name}".encode())
        self.waker = Waker(engine.url, channel=channel, poll_interval_s=poll_interval_s)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.waker.start()
        self._task = asyncio.create_task(self._run(), name=f"relay:{self.channel}")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.waker.stop()

    async def publish_pending(self) -> int:
        """Publish one batch; the rows are marked only once the broker acknowledged all of them."""
        t = self.table
        async with self.engine.begin() as conn:
            if not await conn.scalar(select(func.pg_try_advisory_xact_lock(self.lock_key))):
                return 0
            rows = (
                await conn.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload, t.c.headers)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            futures = [
                await self.producer.send(
                    row.topic,
                    value=json.dumps(row.payload, separators=(",", ":")).encode(),
                    key=row.key.encode(),
                    headers=encode_headers(row.headers),
                )
                for row in rows
            ]
            await asyncio.gather(*futures)
            await conn.execute(
                update(t)
                .where(t.c.id.in_([row.id for row in rows]))
                .values(published_at=func.now())
            )
            return len(rows)

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                published = await self.publish_pending()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the relay must outlive broker and database outages
                failures += 1
                log.warning(
                    "relay.publish_failed", error_class=type(exc).__name__, failures=failures
                )
                await asyncio.sleep(_pause_after(failures))
                continue
            if published < self.batch_size:
                await self.waker.wait()


def _pause_after(failures: int) -> float:
    """0.4 s doubling to 10 s; the capped exponent keeps a long outage from overflowing the float."""
    return min(0.2 * 2 ** min(failures, 6), 10.0)
