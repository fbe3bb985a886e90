"""Inbox: insert-first deduplication on (consumer, event_id) in the handler's own transaction."""

import asyncio

from eventing_kit import event_type, eventually, make

from eventing.db import transaction
from eventing.inbox import Inbox

Happened = event_type("Happened", "eventing-test.inbox")


async def first_time(db, consumer: str, event) -> bool:
    async with transaction(db.sessions) as tx:
        return await Inbox(db.inbox, consumer=consumer).first_time(tx, event)


async def test_an_event_is_new_the_first_time_and_a_duplicate_afterwards(db):
    event = make(Happened)

    assert await first_time(db, "history", event) is True
    assert await first_time(db, "history", event) is False


async def test_two_consumers_each_handle_the_same_event_once(db):
    event = make(Happened)

    assert await first_time(db, "history", event) is True
    assert await first_time(db, "notifier", event) is True


async def test_an_event_recorded_in_a_rolled_back_transaction_is_still_new(db):
    event = make(Happened)

    async with db.sessions() as tx:
        assert await Inbox(db.inbox, consumer="history").first_time(tx, event) is True
        await tx.rollback()

    assert await first_time(db, "history", event) is True


async def test_two_concurrent_transactions_for_one_event_see_exactly_one_first_time(db):
    event = make(Happened)
    inbox = Inbox(db.inbox, consumer="history")

    async with db.sessions() as first, db.sessions() as second:
        await first.begin()
        await second.begin()
        first_says = await inbox.first_time(first, event)
        # The second insert waits on the first one's uncommitted row, then sees the conflict.
        waiting = asyncio.create_task(inbox.first_time(second, event))
        await eventually(lambda: _waits_on_a_lock(db))
        assert not waiting.done()
        await first.commit()
        second_says = await asyncio.wait_for(waiting, timeout=5)
        await second.commit()

    assert (first_says, second_says) == (True, False)
    assert await db.scalar("SELECT count(*) FROM processed_events") == 1


async def test_when_the_first_transaction_rolls_back_the_concurrent_one_handles_the_event(db):
    event = make(Happened)
    inbox = Inbox(db.inbox, consumer="history")

    async with db.sessions() as first, db.sessions() as second:
        await first.begin()
        await second.begin()
        assert await inbox.first_time(first, event) is True
        waiting = asyncio.create_task(inbox.first_time(second, event))
        await eventually(lambda: _waits_on_a_lock(db))
        await first.rollback()
        second_says = await asyncio.wait_for(waiting, timeout=5)
        await second.commit()

    assert second_says is True


async def _waits_on_a_lock(db) -> bool:
    """A backend of this database is blocked on a row lock (the second insert, waiting)."""
    sql = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    return await db.scalar(sql) > 0
