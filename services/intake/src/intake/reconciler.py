"""Re-drive requests that wait on another service too long: their pending event is published again.

A request stays `submitted` until matching decides. When that takes longer than `redrive_after`
(the event was lost on the way: a broker that lost its log, a relay that marked what never
arrived), the latest RequestSubmitted or InfoProvided of the request is published again from
intake's outbox. Matching's inbox drops it if it had it already. Each re-drive refreshes the
row's published_at, so a request is re-driven at most once per `redrive_after`.
`under_review` and `information_requested` wait on people (an agent, the employer): not re-driven.
"""

from datetime import timedelta

from sqlalchemy import Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts import InfoProvided, RequestStatus, RequestSubmitted
from eventing.logs import get_logger
from eventing.replay import replay_rows
from eventing.workers import BackgroundLoop
from intake.tables import Request

log = get_logger("intake.reconciler")

PENDING_TOPICS = (RequestSubmitted.topic, InfoProvided.topic)
WAITING_ON_SERVICES = (RequestStatus.SUBMITTED.value,)


class Reconciler(BackgroundLoop):
    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        channel: str,
        *,
        redrive_after: timedelta,
        interval_s: float,
        batch_size: int = 200,
    ) -> None:
        super().__init__("reconciler", interval_s=interval_s)
        self.engine, self.outbox, self.channel = engine, outbox, channel
        self.redrive_after, self.batch_size = redrive_after, batch_size

    async def step(self) -> bool:
        return await self.redrive() >= self.batch_size

    async def redrive(self) -> int:
        """Publish again the pending event of every request waiting too long; how many."""
        o = self.outbox
        cutoff = func.now() - self.redrive_after
        latest = (
            select(func.max(o.c.id))
            .where(o.c.topic.in_(PENDING_TOPICS))
            .group_by(o.c.key)
            .subquery()
        )
        stale = (
            select(o.c.id)
            .join(Request.__table__, o.c.key == func.cast(Request.id, o.c.key.type))
            .where(
                o.c.id.in_(select(latest)),
                Request.status.in_(WAITING_ON_SERVICES),
                and_(o.c.published_at < cutoff, Request.updated_at < cutoff),
            )
            .limit(self.batch_size)
        )
        async with self.engine.begin() as conn:
            ids = list(await conn.scalars(stale))
            count = await replay_rows(conn, o, self.channel, ids)
        if count:
            log.warning("reconciler.redriven", requests=count)
        return count
