"""Send due notifications over SMTP: intent recorded first, a deterministic Message-ID, bounded retries."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib

from contracts import NotificationFailed, NotificationSent
from eventing.db import transaction
from eventing.logs import get_logger
from eventing.runtime import ServiceRuntime
from eventing.waker import Waker
from eventing.workers import BackgroundLoop, Backoff
from notifier import repository
from notifier.config import NotifierSettings
from notifier.domain import RetrySchedule, is_permanent
from notifier.handlers import DISPATCH_CHANNEL
from notifier.metrics import FAILED, SENT, SMTP_SECONDS
from notifier.rendering import (
    NotificationContext,
    build_message,
    make_message_id,
    notification_key,
    render,
)
from notifier.tables import Notification, RequestContact

log = get_logger("notifier.dispatcher")


class Dispatcher(BackgroundLoop):
    def __init__(self, runtime: ServiceRuntime, settings: NotifierSettings) -> None:
        super().__init__(
            "dispatcher",
            interval_s=settings.relay_poll_interval_s,
            concurrency=settings.dispatch_concurrency,
            backoff=Backoff(0.5, 10.0),
        )
        self.runtime, self.settings = runtime, settings
        self.schedule = RetrySchedule(
            settings.retry_initial_s, settings.retry_max_s, settings.max_delivery_attempts
        )
        self.waker = Waker(
            runtime.engine.url,
            channel=DISPATCH_CHANNEL,
            poll_interval_s=settings.relay_poll_interval_s,
        )

    async def on_start(self) -> None:
        await self.waker.start()

    async def on_stop(self) -> None:
        await self.waker.stop()

    async def step(self) -> bool:
        return await self.dispatch_one()

    async def idle(self) -> None:
        await self.waker.wait()

    async def dispatch_one(self) -> bool:
        """Lock one due notification, send it, record the outcome; False when none is due."""
        # The row stays locked while SMTP talks: a crash before commit leaves it pending, and the
        # resend carries the same Message-ID, which is all SMTP offers towards exactly once.
        async with transaction(self.runtime.sessions) as tx:
            notification = await repository.load_due_notification(tx)
            if notification is None:
                return False
            contact = await repository.load_contact(tx, notification.request_id)
            notification.attempts += 1
            try:
                message = self._message(notification, contact)
            except ValueError as exc:  # bad data never improves: fail now, do not block the queue
                await self._failed(
                    tx, notification, code=None, error=type(exc).__name__, permanent=True
                )
                return True
            code, error = await self._send(message)
            if error is None:
                await self._sent(tx, notification, contact)
            else:
                await self._failed(
                    tx, notification, code=code, error=error, permanent=is_permanent(code)
                )
            return True

    async def _send(self, message: EmailMessage) -> tuple[int | None, str | None]:
        """(None, None) on success, else the SMTP code (if any) and the error class."""
        started = time.perf_counter()
        try:
            return await self._exchange(message)
        finally:
            SMTP_SECONDS.observe(time.perf_counter() - started)

    async def _exchange(self, message: EmailMessage) -> tuple[int | None, str | None]:
        s = self.settings
        try:
            # aiosmtplib bounds each command; this bounds the whole exchange.
            async with asyncio.timeout(s.smtp_timeout_s):
                await aiosmtplib.send(
                    message,
                    hostname=s.smtp_host,
                    port=s.smtp_port,
                    username=s.smtp_username,
                    password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                    start_tls=s.smtp_starttls,
                    use_tls=s.smtp_use_tls,
                    timeout=s.smtp_timeout_s,
                )
        except aiosmtplib.SMTPResponseException as exc:
            return exc.code, type(exc).__name__
        except aiosmtplib.SMTPRecipientsRefused as exc:  # one recipient: its reply is the verdict
            return (exc.recipients[0].code if exc.recipients else None), type(exc).__name__
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return None, type(exc).__name__
        return None, None

    def _message(self, notification: Notification, contact: RequestContact) -> EmailMessage:
        context = NotificationContext(
            worker_name=contact.worker_name,
            request_id=notification.request_id,
            portal_url=self.settings.portal_url,
            occurred_at=notification.created_at,
            ssin=notification.context.get("ssin"),
            ssin_kind=notification.context.get("ssin_kind"),
            expected_delay_days=notification.context.get("expected_delay_days"),
            missing=tuple(notification.context.get("missing") or ()),
            message=notification.context.get("message"),
            reason=notification.context.get("reason"),
            reason_code=notification.context.get("reason_code"),
            review_reason=notification.context.get("review_reason"),
            completed=tuple(notification.context.get("completed") or ()),
        )
        rendered = render(notification.kind, language=contact.language, context=context)
        key = notification_key(event_id=notification.about_event_id, recipient=contact.email)
        notification.message_id = make_message_id(key, self.settings.message_id_domain)
        return build_message(
            rendered,
            sender=self.settings.mail_from,
            recipient=contact.email,
            message_id=notification.message_id,
            sent_at=datetime.now(UTC),
        )

    async def _sent(self, tx, notification: Notification, contact: RequestContact) -> None:
        notification.status, notification.sent_at = "sent", datetime.now(UTC)
        SENT.labels(notification.kind).inc()
        repository.save_attempt(tx, notification, outcome="sent")
        await self.runtime.outbox.stage(
            tx, outcome_event(NotificationSent, notification, language=contact.language)
        )
        log.info("dispatcher.sent", notification_id=str(notification.id), kind=notification.kind)

    async def _failed(
        self, tx, notification: Notification, *, code: int | None, error: str, permanent: bool
    ) -> None:
        notification.last_error_class = error
        delay = None if permanent else self.schedule.delay(notification.attempts)
        FAILED.labels(notification.kind, "false" if delay is not None else "true").inc()
        repository.save_attempt(
            tx,
            notification,
            outcome="permanent" if permanent else "transient",
            smtp_code=code,
            error_class=error,
        )
        log.warning(
            "dispatcher.delivery_failed",
            notification_id=str(notification.id),
            smtp_code=code,
            error_class=error,
            attempts=notification.attempts,
        )
        if delay is not None:
            notification.next_attempt_at = datetime.now(UTC) + timedelta(seconds=delay)
            return
        notification.status = "failed"
        await self.runtime.outbox.stage(
            tx, outcome_event(NotificationFailed, notification, error_class=error)
        )


def outcome_event(event_type, notification: Notification, **fields):
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
