"""Published outbox rows and inbox rows are kept for a retention window, then purged (else they
only grow). The inbox is kept longer than the outbox: an event replayed from the outbox must
still find its inbox row, or it would take effect twice."""

from datetime import timedelta

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.logs import get_logger
from eventing.workers import BackgroundLoop

log = get_logger("eventing.purge")


class PlumbingPurge(BackgroundLoop):
    """Every `interval_s`, delete in batches what is past its window; every replica may run it."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        inbox: Table,
        *,
        outbox_retention: timedelta,
        inbox_retention: timedelta,
        interval_s: float,
        batch_size: int = 1000,
    ) -> None:
        super().__init__("plumbing-purge", interval_s=interval_s)
        self.engine, self.outbox, self.inbox = engine, outbox, inbox
        self.outbox_retention, self.inbox_retention = outbox_retention, inbox_retention
        self.batch_size = batch_size

    async def step(self) -> bool:
        await self.purge()
        return False

    async def purge(self) -> tuple[int, int]:
        """Rows deleted from the outbox and the inbox in this pass."""
        o, i = self.outbox, self.inbox
        outbox = await self._until_done(
            o, o.c.id, o.c.published_at < func.now() - self.outbox_retention
        )
        inbox = await self._until_done(
            i, i.c.event_id, i.c.processed_at < func.now() - self.inbox_retention
        )
        if outbox or inbox:
            log.info("plumbing.purged", outbox=outbox, inbox=inbox)
        return outbox, inbox

    async def _until_done(self, table: Table, key, due) -> int:
        total = 0
        while True:
            async with self.engine.begin() as conn:
                batch = select(key).where(due).limit(self.batch_size).scalar_subquery()
                deleted = (await conn.execute(delete(table).where(key.in_(batch)))).rowcount
            total += deleted
            if deleted < self.batch_size:
                return total
