"""Transient SMTP trouble is retried with backoff until delivered; a permanent refusal is final."""

import asyncio
import contextlib
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from prometheus_client import REGISTRY

from contracts import NotificationFailed, NotificationSent
from notifier.tables import Notification


async def dispatch_until(dispatcher, done) -> None:
    """Run one dispatch loop until `done()` holds (10 s at most)."""
    async with asyncio.timeout(10):
        while not await done():
            if not await dispatcher.dispatch_one():
                await asyncio.sleep(0.01)


async def test_a_burst_sent_while_smtp_is_down_waits_due_and_drains_once_over_few_connections(
    stack,
):
    requests = [await stack.submit() for _ in range(20)]
    dispatcher = stack.dispatcher()

    async def refused_three_times() -> bool:
        refused = [a for a in await stack.attempts() if a.error_class == "SMTPConnectError"]
        return len(refused) >= 3

    stack.sink.stop()
    await dispatch_until(dispatcher, refused_three_times)
    # The server was probed, not every message: each refusal paused the whole dispatcher, and
    # the messages stayed due (no backoff of their own to sit out once the server is back).
    refused = [a for a in await stack.attempts() if a.error_class == "SMTPConnectError"]
    assert len(refused) < 10 and dispatcher.paused_for() > 0
    assert await stack.count(Notification.next_attempt_at > datetime.now(UTC)) == 0
    stack.sink.start()
    await stack.deliver_all(dispatcher, workers=4)

    per_message_id = Counter(m.message_id for m in stack.sink.received)
    assert len(per_message_id) == 20 and set(per_message_id.values()) == {1}
    assert {m.to[0] for m in stack.sink.received} == {str(r.notification_email) for r in requests}
    assert len(set(stack.sink.sessions)) <= 4  # one connection per lane carried the backlog
    assert {n.status for n in await stack.notifications()} == {"sent"}
    assert len(await stack.staged(NotificationSent)) == 20


async def test_a_421_pauses_the_dispatcher_and_the_message_goes_once_when_the_pause_ends(stack):
    request = await stack.submit()
    stack.sink.fail_next(1, code=421, text="Try again later")
    dispatcher = stack.dispatcher(smtp_pause_initial_s=3.0, smtp_pause_max_s=3.0)

    assert await dispatcher.dispatch_one()
    waiting, now = await stack.notification(request), datetime.now(UTC)
    paused = dispatcher.paused_for()
    too_early = not await dispatcher.dispatch_one()
    await stack.deliver_all(dispatcher)

    assert too_early and 0 < paused <= 3.0  # jittered within [ceiling / 2, ceiling]
    assert waiting.status == "pending" and waiting.next_attempt_at <= now
    assert len(stack.sink.received) == 1
    assert [(a.outcome, a.smtp_code) for a in await stack.attempts(request)] == [
        ("transient", 421),
        ("sent", None),
    ]
    assert (await stack.notification(request)).attempts == 2


async def test_a_temporary_refusal_of_the_recipient_is_retried(stack):
    request = await stack.submit()
    stack.sink.fail_next(1, code=450, text="Mailbox busy", stage="RCPT")

    await stack.deliver_all()

    assert len(stack.sink.received) == 1
    assert [(a.outcome, a.smtp_code) for a in await stack.attempts(request)] == [
        ("transient", 450),
        ("sent", None),
    ]


@pytest.mark.parametrize("stage", ["DATA", "RCPT"])
async def test_a_550_fails_the_notification_after_one_attempt_and_stages_notification_failed(
    stack, stage
):
    request = await stack.submit()
    stack.sink.fail_next(1, code=550, text="No such mailbox", stage=stage)
    given_up = {"kind": "request_received", "permanent": "true"}
    before = REGISTRY.get_sample_value("idpro_notifications_failed_total", given_up) or 0

    await stack.deliver_all()

    notification = await stack.notification(request)
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert REGISTRY.get_sample_value("idpro_notifications_failed_total", given_up) == before + 1
    assert [(a.outcome, a.smtp_code) for a in await stack.attempts(request)] == [("permanent", 550)]
    (failed,) = await stack.staged(NotificationFailed)
    assert (failed.notification_id, failed.about_event_id) == (notification.id, request.event_id)
    assert stack.sink.received == [] and await stack.staged(NotificationSent) == []
    assert not await stack.dispatcher().dispatch_one()


async def test_transient_failures_are_retried_past_any_count_and_never_given_up(stack):
    request = await stack.submit()
    stack.sink.fail_next(10, code=451, text="Local error")

    await stack.deliver_all()

    notification = await stack.notification(request)
    assert (notification.status, notification.attempts) == ("sent", 11)
    assert [a.smtp_code for a in await stack.attempts(request)] == [451] * 10 + [None]
    assert await stack.staged(NotificationFailed) == []
    assert len(stack.sink.received) == 1


async def test_a_server_that_never_answers_costs_one_timeout_and_is_retried(stack):
    request = await stack.submit()
    silent = await asyncio.start_server(_never_greet, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    dispatcher = stack.dispatcher(smtp_port=port, smtp_timeout_s=0.3)

    try:
        started = time.monotonic()
        await dispatcher.dispatch_one()
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    (attempt,) = await stack.attempts(request)
    assert attempt.outcome == "transient" and "Timeout" in attempt.error_class
    assert elapsed < 1.5
    assert (await stack.notification(request)).status == "pending"


async def _never_greet(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(Exception):
        await reader.read()  # hold the connection open, say nothing
    writer.close()
