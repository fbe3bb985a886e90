"""Notice a broker that lost its log (the embedded one keeps it in memory) and recover from it.

At start every service creates its topics and a marker topic of its own (`_idpro.alive.<service>`)
that no client ever produces to or asks for by name, so nothing auto-creates it. When the marker
is gone from the broker's metadata, the broker restarted without its data: the topics are created
again and this service's outbox since `replay_window` is published again (the broker acknowledged
those events and then lost them). Consumers' inboxes drop what they had already processed. Each
service watches its own marker, so each replays its own outbox, whoever notices first.

The service's consumer is rewound to the beginning of what it is assigned, a few times while its
group settles: the positions it held point into a log that no longer exists (reading on from
there would skip what the others replayed before it), and the broker may have taken commits made
from them. Everything re-read is dropped by the inbox.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.logs import get_logger
from eventing.replay import replay_since
from eventing.workers import BackgroundLoop, Backoff

log = get_logger("eventing.broker_watch")


def marker_topic(service: str) -> str:
    return f"_idpro.alive.{service}"


class BrokerWatch(BackgroundLoop):
    def __init__(
        self,
        *,
        service: str,
        producer: AIOKafkaProducer,
        ensure_topics: Callable[[dict[str, int]], Awaitable[None]],
        topics: dict[str, int],
        engine: AsyncEngine,
        outbox: Table,
        channel: str,
        replay_window: timedelta,
        interval_s: float = 5.0,
        rewind: Callable[[], Awaitable[int]] | None = None,
        rewind_after_s: tuple[float, ...] = (0.0, 10.0, 25.0),
    ) -> None:
        super().__init__("broker-watch", interval_s=interval_s, backoff=Backoff(1.0, 10.0))
        self.marker = marker_topic(service)
        self.producer, self.ensure_topics, self.topics = producer, ensure_topics, topics
        self.engine, self.outbox, self.channel = engine, outbox, channel
        self.replay_window = replay_window
        self.rewind, self.rewind_after_s = rewind, rewind_after_s
        self.recoveries = 0
        self._rewinding: asyncio.Task | None = None

    async def on_stop(self) -> None:
        if self._rewinding is not None:
            self._rewinding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._rewinding

    async def step(self) -> bool:
        await self.check()
        return False

    async def check(self) -> bool:
        """True when the broker had lost its topics (and they are back, the outbox replayed)."""
        metadata = await self.producer.client.fetch_all_metadata()
        if self.marker in metadata.topics():
            return False
        log.warning("broker.lost_topics", marker=self.marker)
        await self.ensure_topics(self.topics)
        async with self.engine.begin() as conn:
            since = await conn.scalar(select(func.now())) - self.replay_window
            replayed = await replay_since(conn, self.outbox, self.channel, since)
        # The marker last: a recovery cut short (the database away) is tried again in full.
        await self.ensure_topics({self.marker: 1})
        self.recoveries += 1
        log.warning("broker.recovered", replayed=replayed)
        if self.rewind is not None:
            if self._rewinding is not None:
                self._rewinding.cancel()
            self._rewinding = asyncio.create_task(self._rewind_while_settling())
        return True

    async def _rewind_while_settling(self) -> None:
        started = asyncio.get_running_loop().time()
        for at in self.rewind_after_s:
            await asyncio.sleep(max(0.0, started + at - asyncio.get_running_loop().time()))
            try:
                partitions = await self.rewind()
            except Exception as exc:  # noqa: BLE001 - a group rebalancing: the next one will do
                log.warning("broker.rewind_failed", error_class=type(exc).__name__)
            else:
                log.info("broker.consumer_rewound", partitions=partitions)
