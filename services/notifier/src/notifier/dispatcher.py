"""Send due notifications over SMTP: claim committed first, exchange outside any transaction, the
result recorded in its own retried step.

The order, per notification:
1. claim (one short transaction, committed): `sending`, attempts + 1, its deterministic Message-ID,
   and a lease (`next_attempt_at` = now + `claim_lease_s`): no other lane or replica takes it;
2. the SMTP exchange, over a connection the lane keeps open while the backlog lasts;
3. the mark (`sent` + NotificationSent staged, or the failure), retried on its own until the
   database answers: a message the server accepted is never sent again because a commit failed.

The one window left: the process dies between the server's 250 and the mark's commit (a few
milliseconds, logged as `window_ms` on `dispatcher.sent`), or, with the database down longer than
the claim's lease, another replica claims the message before this one's mark lands (this
process's own lanes know what it is still marking and do not send it again). The lease then expires and the message
goes again, with the same Message-ID, so the receiving side can recognise the copy.

Transient trouble never gives up: a refused connection, a timeout or a 421 pauses the whole
dispatcher (one capped backoff for the server, every lane waits), and the notification stays due,
so once the server answers the backlog drains at its pace, not at each row's own backoff. A 4xx
about one message (450 mailbox busy …) backs that row off (capped). Only a 5xx fails.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from opentelemetry.context import Context
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import NotificationFailed, NotificationSent
from eventing import tracing
from eventing.database import Database
from eventing.db import transaction
from eventing.logs import get_logger
from eventing.outbox import traced
from eventing.waker import OneWatcher, Waker
from eventing.workers import BackgroundLoop, Backoff, until_done
from notifier import repository
from notifier.config import NotifierSettings
from notifier.domain import RetrySchedule, is_permanent
from notifier.handlers import DISPATCH_CHANNEL
from notifier.metrics import FAILED, SENT
from notifier.rendering import Mail, claimed_message
from notifier.smtp import Outcome, Sender
from notifier.tables import Notification

log = get_logger("notifier.dispatcher")

# A kept connection idle this long while nothing is due is closed (the backlog is over).
KEEP_IDLE_S = 2.0
# The mark is retried this way until the database answers (a sent e-mail must get its mark).
MARK_BACKOFF = Backoff(0.2, 5.0)


@dataclass
class Claim:
    """A notification this lane owns until its lease ends, with the message to send."""

    id: UUID
    attempts: int
    kind: str
    created_at: datetime
    language: str
    message: Mail | None
    error: str | None = None  # set when the message could not be built (permanent)
    trace: Context | None = None  # the event's trace, which the SMTP send continues
    sent_row: dict | None = None  # NotificationSent's outbox row, ready before the exchange


class Dispatcher(BackgroundLoop):
    def __init__(self, database: Database, settings: NotifierSettings) -> None:
        super().__init__(
            "dispatcher",
            interval_s=settings.relay_poll_interval_s,
            concurrency=settings.dispatch_concurrency,
            backoff=Backoff(0.5, 10.0),
            # A sent e-mail gets its mark before the process goes, if the database lets it.
            grace_s=settings.smtp_timeout_s + 10.0,
        )
        self.database, self.settings = database, settings
        self.schedule = RetrySchedule(settings.retry_initial_s, settings.retry_max_s)
        self.server_backoff = Backoff(settings.smtp_pause_initial_s, settings.smtp_pause_max_s)
        self.waker = Waker(
            database.engine.url,
            channel=DISPATCH_CHANNEL,
            poll_interval_s=settings.relay_poll_interval_s,
        )
        self.lanes = OneWatcher(self.waker)  # one lane looks at a notification, not every lane
        self.sender = Sender(settings)
        self._server_failures = 0
        self._paused_until = 0.0
        # Sent, their mark still being retried: a lease that ran out meanwhile (the database
        # down longer than claim_lease_s) brings them back to a claim here, never to a resend.
        self._marking: set[UUID] = set()

    async def on_start(self) -> None:
        await self.waker.start()

    async def on_stop(self) -> None:
        await self.close_connections()
        await self.waker.stop()

    async def step(self) -> bool:
        return await self.dispatch_one()

    async def idle(self) -> None:
        pause = self.paused_for()
        if pause > 0:
            await asyncio.sleep(pause)
        else:
            await self.lanes.idle()

    def paused_for(self) -> float:
        """Seconds left before the server is tried again (0: not paused)."""
        return max(0.0, self._paused_until - time.monotonic())

    async def dispatch_one(self) -> bool:
        """Claim one due notification, send it, record the outcome; False when none is due (or
        the server is paused)."""
        if self.paused_for() > 0:
            return False
        claim = await self._claim()
        if claim is None:
            await self.close_connections(idle_for=KEEP_IDLE_S)  # drained: let the server go
            return False
        self.lanes.found_work()
        if claim.id in self._marking:  # sent by this process; its retried mark will land
            log.warning("dispatcher.mark_pending", notification_id=str(claim.id))
            return True
        if claim.message is None:  # bad data never improves: fail now, do not block the queue
            with tracing.within(claim.trace):  # NotificationFailed continues the event's trace
                await self._record(lambda tx: self._failed(tx, claim, Outcome(None, claim.error)))
            FAILED.labels(claim.kind, "true").inc()
            return True
        with tracing.span(
            "smtp send",
            parent=claim.trace,
            kind=SpanKind.CLIENT,
            attributes={"idpro.notification_kind": claim.kind},
        ):
            outcome = await self.sender.send(claim.message)
            # Either outcome's event continues the trace from this send: NotificationSent's row
            # (built at the claim) here, NotificationFailed when it is staged.
            traced(claim.sent_row["headers"])
            sent_in = tracing.current()
        if outcome.error is None:
            await self._mark_sent(claim, accepted=time.monotonic())
            self._server_failures = 0
        else:
            with tracing.within(sent_in):
                await self._record(lambda tx: self._failed(tx, claim, outcome))
            FAILED.labels(claim.kind, str(is_permanent(outcome.code)).lower()).inc()
            if outcome.server_trouble:
                await self._pause(outcome)
        return True

    async def close_connections(self, *, idle_for: float = 0.0) -> None:
        """Close the kept connections idle for `idle_for` seconds or more (all by default)."""
        await self.sender.close_connections(idle_for=idle_for)

    # -- 1. the claim ---------------------------------------------------------------------

    async def _claim(self) -> Claim | None:
        """One statement, committed at once (repository.claim_due): the claim is written before
        anything is sent, and finding nothing due costs one round trip."""
        async with self.database.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            row = await repository.claim_due(
                conn,
                lease_s=self.settings.claim_lease_s,
                message_id_domain=self.settings.message_id_domain,
            )
            if row is None:
                return None
            if row.was == "sending":  # a lease ran out: the claimer died
                log.warning(
                    "dispatcher.lease_expired",
                    notification_id=str(row.id),
                    attempts=row.attempts,
                )
            message, error = None, None
            try:
                message = claimed_message(
                    row,
                    portal_url=self.settings.portal_url,
                    sender=self.settings.mail_from,
                    message_id=row.message_id,
                )  # derived and kept by the claim
            except ValueError as exc:
                error = type(exc).__name__
        return Claim(
            row.id,
            row.attempts,
            row.kind,
            row.created_at,
            row.language,
            message,
            error,
            trace=tracing.context_of(row.context),
            sent_row=self.database.outbox.row(
                outcome_event(NotificationSent, row, language=row.language)
            ),
        )

    # -- 2. the exchange ------------------------------------------------------------------

    async def _pause(self, outcome: Outcome) -> None:
        """The server is unavailable: every lane waits, the notifications stay due."""
        self._server_failures += 1
        pause = self.server_backoff.delay(self._server_failures)
        self._paused_until = max(self._paused_until, time.monotonic() + pause)
        await self.close_connections()
        backlog, oldest = await self._backlog()
        log.warning(
            "dispatcher.smtp_unavailable",
            smtp_code=outcome.code,
            error_class=outcome.error,
            failures=self._server_failures,
            retry_in_s=round(pause, 1),
            backlog=backlog,
            oldest_age_s=oldest,
        )

    async def _backlog(self) -> tuple[int | None, float | None]:
        try:
            async with self.database.sessions() as tx:
                return await repository.backlog(tx)
        except Exception as exc:  # noqa: BLE001 - only for the log line
            log.warning("dispatcher.backlog_unknown", error_class=type(exc).__name__)
            return None, None

    # -- 3. the mark ----------------------------------------------------------------------

    async def _record(self, write: Callable[[AsyncSession], Awaitable[None]]) -> None:
        """Run `write` in its own transaction until the database answers."""

        async def once() -> None:
            async with transaction(self.database.sessions) as tx:
                await write(tx)

        await until_done(once, backoff=MARK_BACKOFF, event="dispatcher.record_retry")

    async def _mark_sent(self, claim: Claim, *, accepted: float) -> None:
        """One statement in its own transaction, retried until the database answers."""

        async def once() -> bool:
            async with self.database.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                return await repository.mark_sent(
                    conn, claim.id, claim.sent_row, channel=self.database.outbox.channel
                )

        self._marking.add(claim.id)
        try:
            marked = await until_done(once, backoff=MARK_BACKOFF, event="dispatcher.record_retry")
        finally:
            self._marking.discard(claim.id)
        if marked:
            SENT.labels(claim.kind).inc()
        log.info(
            "dispatcher.sent",
            notification_id=str(claim.id),
            kind=claim.kind,
            attempts=claim.attempts,
            # The window a crash would turn into a second copy: the server's 250 to this commit.
            window_ms=round((time.monotonic() - accepted) * 1000, 1),
        )

    async def _failed(self, tx: AsyncSession, claim: Claim, outcome: Outcome) -> None:
        notification = await tx.get(Notification, claim.id, with_for_update=True)
        if notification.status != "sending" or notification.attempts != claim.attempts:
            return  # no longer ours (a lease ran out and another claimer took it)
        permanent = is_permanent(outcome.code) or claim.message is None
        age_s = round((datetime.now(UTC) - claim.created_at).total_seconds(), 1)
        notification.last_error_class = outcome.error
        repository.save_attempt(
            tx,
            notification,
            outcome="permanent" if permanent else "transient",
            smtp_code=outcome.code,
            error_class=outcome.error,
        )
        log.warning(
            "dispatcher.delivery_failed",
            notification_id=str(claim.id),
            smtp_code=outcome.code,
            error_class=outcome.error,
            attempts=claim.attempts,
            age_s=age_s,
            permanent=permanent,
        )
        if permanent:
            notification.status = "failed"
            await self.database.outbox.stage(
                tx, outcome_event(NotificationFailed, notification, error_class=outcome.error)
            )
            return
        notification.status = "pending"
        # Server trouble: due again at once, the dispatcher's pause spaces the tries. Trouble
        # with this message only: its own capped backoff.
        delay = 0.0 if outcome.server_trouble else self.schedule.delay(claim.attempts)
        notification.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)


def outcome_event(event_type, notification, **fields):
    """NotificationSent or NotificationFailed about one notification, for history."""
    return event_type(
        producer="notifier",
        request_id=notification.request_id,
        employer_id=notification.employer_id,
        request_version=notification.request_version,
        causation_id=notification.about_event_id,
        notification_id=notification.id,
        kind=notification.kind,
        about_event_id=notification.about_event_id,
        **fields,
    )
