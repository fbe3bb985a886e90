"""Send due deliveries: claim (commit), POST (no transaction open), record (its own transaction).

Never inside the transaction that records the result: a commit failing after the receiver said
200 would send it again anyway, and a slow receiver would hold a connection and row locks. The
lease makes a crash between claim and record harmless: the delivery is due again when it ends,
with the same webhook-id, which receivers use to deduplicate.

No head-of-line blocking: each claimed delivery runs in its own task, an endpoint holds at most
`per_endpoint_concurrency` of the `max_in_flight` slots, every POST is bounded by the timeout,
and endpoints are served round robin, so one slow or failing receiver never delays another.
"""

import asyncio
import contextlib
from datetime import UTC, datetime

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eventing.db import transaction
from eventing.logs import get_logger
from eventing.waker import Waker
from eventing.workers import BackgroundLoop, Backoff, until_done
from webhooks import repository
from webhooks.config import WebhooksSettings
from webhooks.domain import RetrySchedule, verdict
from webhooks.repository import Claimed
from webhooks.sender import Answer, Sender
from webhooks.signing import SecretBox, body_of, signed_headers

# Recording an attempt while the database blinks: about 0.2, 0.4, 0.8 s, then the lease decides.
RECORD_BACKOFF = Backoff(0.2, 5.0)
log = get_logger("webhooks.deliverer")


class Deliverer(BackgroundLoop):
    """eventing's background loop: a failing round is logged, backed off and shown in /ready."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        database_url: URL,
        settings: WebhooksSettings,
        box: SecretBox,
    ) -> None:
        super().__init__("deliverer", interval_s=settings.relay_poll_interval_s)
        self.sessions, self.settings, self.box = sessions, settings, box
        self.schedule = RetrySchedule(
            settings.retry_initial_s, settings.retry_max_s, settings.retry_horizon_s
        )
        self.sender = Sender(
            timeout_s=settings.request_timeout_s,
            development=settings.development,
            max_connections=settings.max_in_flight,
        )
        self.waker = Waker(
            database_url,
            channel=repository.DELIVERY_CHANNEL,
            poll_interval_s=settings.relay_poll_interval_s,
        )
        self.in_flight: set[asyncio.Task[None]] = set()
        self._freed = asyncio.Event()
        self._next_sweep = 0.0

    async def on_start(self) -> None:
        await self.waker.start()

    async def on_stop(self) -> None:
        # Each POST ends within the timeout; a cancelled one is due again when its lease ends.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.settings.request_timeout_s + 2):
                await asyncio.gather(*self.in_flight, return_exceptions=True)
        for task in self.in_flight:
            task.cancel()
        await self.sender.close()
        await self.waker.stop()

    async def step(self) -> bool:
        """Sweep now and then; claim and start what is due. True: go again at once."""
        now = asyncio.get_running_loop().time()
        if now >= self._next_sweep:
            await self.expire()
            self._next_sweep = now + min(30.0, self.settings.retry_horizon_s / 4)
        started = await self.dispatch()
        return started > 0 and len(self.in_flight) < self.settings.max_in_flight

    async def idle(self) -> None:
        """Until a new delivery is recorded, a slot frees up, or the next one is due."""
        wait_s = (
            await self._until_next_due()
            if len(self.in_flight) < self.settings.max_in_flight
            else 0.0
        )
        waiters = {
            asyncio.ensure_future(self.waker.wait()),
            asyncio.ensure_future(self._freed.wait()),
        }
        try:
            await asyncio.wait(waiters, timeout=wait_s or None, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        self._freed.clear()

    async def expire(self) -> int:
        """Fail the deliveries whose horizon passed while their endpoint was paused."""
        async with transaction(self.sessions) as tx:
            expired = await repository.expire_past_horizon(
                tx, horizon_s=self.settings.retry_horizon_s
            )
        if expired:
            log.warning("deliverer.expired", count=expired)
        return expired

    async def dispatch(self) -> int:
        """Claim what is due within the free slots and start sending it; how many started."""
        free = self.settings.max_in_flight - len(self.in_flight)
        if free <= 0:
            return 0
        async with transaction(self.sessions) as tx:
            claimed = await repository.claim_due(
                tx,
                slots=free,
                per_endpoint=self.settings.per_endpoint_concurrency,
                lease_s=self.settings.lease_s,
            )
        for delivery in claimed:
            task = asyncio.create_task(self.deliver(delivery), name=f"webhook:{delivery.id}")
            self.in_flight.add(task)
            task.add_done_callback(self._done)
        return len(claimed)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        self._freed.set()

    async def _until_next_due(self) -> float:
        async with self.sessions() as tx:
            seconds = await repository.seconds_until_next_due(tx)
        poll = self.settings.relay_poll_interval_s
        return poll if seconds is None else min(max(float(seconds), 0.01), poll)

    async def deliver(self, delivery: Claimed) -> None:
        """Sign, POST, record: the receiver is called with no transaction open."""
        body = body_of(delivery.payload)
        headers = signed_headers(
            webhook_id=str(delivery.id),
            body=body,
            secrets_in_use=[self.box.open(sealed) for sealed in delivery.secrets],
        )
        attempted_at = datetime.now(UTC)
        answer = await self.sender.post(delivery.url, headers=headers, body=body)
        await self._record(delivery, answer, attempted_at)

    async def _record(self, delivery: Claimed, answer: Answer, attempted_at: datetime) -> None:
        outcome = "retry" if answer.status_code is None else verdict(answer.status_code)
        next_at = None
        if outcome == "retry":
            next_at = self.schedule.next_attempt(
                now=datetime.now(UTC),
                attempts=delivery.attempts,
                since=delivery.window_started_at,
                retry_after_s=answer.retry_after_s,
            )
            outcome = "retry" if next_at else "failed"
        attempt = {
            "attempted_at": attempted_at,
            "outcome": outcome,
            "status_code": answer.status_code,
            "error_class": answer.error,
            "duration_ms": answer.duration_ms,
        }

        async def record() -> None:
            async with transaction(self.sessions) as tx:
                await repository.save_outcome(
                    tx,
                    delivery.id,
                    delivery.endpoint_id,
                    attempt=attempt,
                    status=outcome,
                    next_attempt_at=next_at,
                    endpoint_pause_s=self.schedule.delay(delivery.endpoint_failures + 1),
                )
                if outcome == "gone":
                    await repository.disable_gone(tx, delivery.endpoint_id)

        try:  # the database may blink; past a few tries the lease covers the rest
            await until_done(
                record, backoff=RECORD_BACKOFF, event="deliverer.record_failed", attempts=4
            )
        except Exception:  # noqa: BLE001 - logged by until_done; the lease redelivers it
            return
        log.info(
            "deliverer.attempted",
            delivery_id=str(delivery.id),
            endpoint_id=str(delivery.endpoint_id),
            outcome=outcome,
            status_code=answer.status_code,
            error_class=answer.error,
            attempts=delivery.attempts,
        )
