"""The dispatcher's lanes running as in production: one lane looks at a notification, not every
lane, and a burst still spreads over them."""

import asyncio
import contextlib
from collections import Counter

from sqlalchemy import event

from devstack.waiting import eventually
from notifier.tables import Notification


@contextlib.contextmanager
def counted_claims(engine):
    """How many claim statements the engine runs meanwhile (repository.claim_due's SKIP LOCKED)."""
    claims = Counter()

    def count(conn, cursor, statement, *_):
        if "SKIP LOCKED" in statement:
            claims["claims"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield claims
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_one_notification_is_looked_for_by_one_lane_and_the_lane_it_wakes(stack):
    # No poll within the test: every claim counted follows the notification's NOTIFY.
    dispatcher = stack.dispatcher(dispatch_concurrency=4, relay_poll_interval_s=30.0)
    await dispatcher.start()
    try:
        await asyncio.sleep(0.5)  # the lanes' first looks (nothing due) are over
        with counted_claims(stack.database.engine) as claims:
            await stack.submit()
            await eventually(lambda: stack.count(Notification.status == "sent"), every=0.02)
            await asyncio.sleep(0.5)  # any lane still looking has looked
    finally:
        await dispatcher.stop()

    assert len(stack.sink.received) == 1
    # The watching lane's claim, one of the lane it woke (nothing), its own next look (nothing):
    # four lanes all woken by the NOTIFY looked five times.
    assert claims["claims"] == 3


async def test_a_burst_spreads_over_the_lanes_and_each_email_goes_once(stack):
    dispatcher = stack.dispatcher(dispatch_concurrency=4, relay_poll_interval_s=30.0)
    await dispatcher.start()
    try:
        await asyncio.sleep(0.5)
        requests = [await stack.submit() for _ in range(12)]
        await eventually(lambda: _all_sent(stack, 12), every=0.02)
    finally:
        await dispatcher.stop()

    per_message_id = Counter(m.message_id for m in stack.sink.received)
    assert len(per_message_id) == 12 and set(per_message_id.values()) == {1}
    assert {m.to[0] for m in stack.sink.received} == {str(r.notification_email) for r in requests}
    assert len(set(stack.sink.sessions)) > 1  # more than one lane (each its own connection)


async def _all_sent(stack, n: int) -> bool:
    return await stack.count(Notification.status == "sent") == n
