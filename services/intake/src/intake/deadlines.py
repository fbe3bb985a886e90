"""An information request waits on the employer for a while only: reminded once, then expired.

After `reminder_after` without an answer the employer is reminded (InfoReminded); after
`expiry_after` the request expires (RequestExpired, final) and the retention period of its scans
starts. Each change and its event commit together; rows another replica holds are skipped.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts import InfoReminded, RequestExpired, RequestStatus
from eventing.db import transaction
from eventing.logs import get_logger
from eventing.outbox import Outbox
from eventing.workers import BackgroundLoop
from intake import repository
from intake.retention import utc_now
from intake.tables import Request

log = get_logger("intake.deadlines")


class DeadlineWorker(BackgroundLoop):
    """Every `interval_s`: expire what is past its deadline, then remind what is past the reminder."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        *,
        reminder_after: timedelta,
        expiry_after: timedelta,
        interval_s: float,
        batch_size: int = 200,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__("information-deadlines", interval_s=interval_s)
        self.sessions, self.outbox, self.clock = sessions, outbox, clock
        self.reminder_after, self.expiry_after = reminder_after, expiry_after
        self.batch_size = batch_size

    async def step(self) -> bool:
        """True while a batch was full: more may be due."""
        expired, reminded = await self.expire_due(), await self.remind_due()
        if expired or reminded:
            log.info("deadlines.applied", expired=expired, reminded=reminded)
        return max(expired, reminded) >= self.batch_size

    async def expire_due(self) -> int:
        now = self.clock()
        async with transaction(self.sessions) as tx:
            due = await repository.load_awaiting_information(
                tx, asked_before=now - self.expiry_after, limit=self.batch_size
            )
            for row in due:
                await self.outbox.stage(tx, expire(row, now=now, after=self.expiry_after))
        return len(due)

    async def remind_due(self) -> int:
        now = self.clock()
        async with transaction(self.sessions) as tx:
            due = await repository.load_awaiting_information(
                tx, asked_before=now - self.reminder_after, unreminded=True, limit=self.batch_size
            )
            for row in due:
                await self.outbox.stage(tx, remind(row, now=now, expiry_after=self.expiry_after))
        return len(due)


def remind(row: Request, *, now: datetime, expiry_after: timedelta) -> InfoReminded:
    """Mark the request reminded; the event the notifier e-mails."""
    row.reminded_at = now
    asked = row.info_requested_at or now
    return InfoReminded(
        producer="intake",
        request_id=row.id,
        employer_id=row.employer_id,
        request_version=row.version,
        requested_at=asked,
        expires_at=asked + expiry_after,
        missing=list((row.outcome or {}).get("missing") or []),
    )


def expire(row: Request, *, now: datetime, after: timedelta) -> RequestExpired:
    """Close the request as expired: final, so its scans' retention period starts now."""
    asked = row.info_requested_at or now
    row.status, row.updated_at, row.finalised_at = RequestStatus.EXPIRED.value, now, now
    row.outcome = {"code": "expired", "requested_at": asked.isoformat(), "after_days": after.days}
    return RequestExpired(
        producer="intake",
        request_id=row.id,
        employer_id=row.employer_id,
        request_version=row.version,
        requested_at=asked,
        after_days=after.days,
    )
