"""Scans are purged a configurable time after their request is final; each purge is logged."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eventing.db import transaction
from eventing.logs import get_logger
from eventing.workers import BackgroundLoop
from intake import repository

log = get_logger("intake.retention")
REASON = "retention_after_final"


def utc_now() -> datetime:
    return datetime.now(UTC)


class RetentionWorker(BackgroundLoop):
    """Runs `purge_due` every `interval_s`; every replica may (rows are locked, skip-locked)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        retention: timedelta,
        interval_s: float,
        batch_size: int = 200,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__("scan-retention", interval_s=interval_s)
        self.sessions, self.retention = sessions, retention
        self.batch_size, self.clock = batch_size, clock

    async def step(self) -> bool:
        await self.purge_due()
        return False

    async def purge_due(self) -> int:
        """Purge every scan whose request has been final longer than the retention period."""
        total = 0
        while purged := await self._purge_batch():
            total += purged
        if total:
            log.info("retention.purged", documents=total)
        return total

    async def _purge_batch(self) -> int:
        now = self.clock()
        async with transaction(self.sessions) as tx:
            due = await repository.load_purgeable(
                tx, final_before=now - self.retention, limit=self.batch_size
            )
            for document in due:
                await repository.save_purge(tx, document, now=now, reason=REASON)
        return len(due)
