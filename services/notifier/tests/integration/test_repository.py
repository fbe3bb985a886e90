"""notifier's named queries against PostgreSQL: locking, release, tenant filter, replays."""

import asyncio
from uuid import uuid4

from sqlalchemy import select

from notifier import repository
from notifier.domain import notification_id
from notifier.tables import Notification


async def record(sessions, *, request_id=None, employer_id="0123456789", status="pending"):
    """One notification about a fresh event; its id."""
    event_id = uuid4()
    async with sessions.begin() as tx:
        await repository.save_notification(
            tx,
            id=notification_id(event_id),
            request_id=request_id or uuid4(),
            employer_id=employer_id,
            about_event_id=event_id,
            request_version=1,
            kind="request_received",
            context={},
            status=status,
            attempts=0,
        )
    return notification_id(event_id), event_id


async def test_concurrent_senders_each_lock_a_different_due_notification(sessions):
    await record(sessions)
    await record(sessions)
    release = asyncio.Event()

    async def lock_one(locked: asyncio.Event):
        async with sessions.begin() as tx:
            notification = await repository.load_due_notification(tx)
            locked.set()
            await release.wait()
            return notification and notification.id

    first_locked, second_locked = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(lock_one(first_locked))
    await first_locked.wait()
    second = asyncio.create_task(lock_one(second_locked))
    await second_locked.wait()
    async with sessions.begin() as tx:
        third = await repository.load_due_notification(tx)
    release.set()

    assert None not in (await first, await second) and await first != await second
    assert third is None


async def test_recording_the_same_event_twice_keeps_the_first_notification(sessions):
    request_id = uuid4()
    nid, event_id = await record(sessions, request_id=request_id)
    async with sessions.begin() as tx:
        await repository.save_notification(
            tx,
            id=nid,
            request_id=request_id,
            employer_id="0123456789",
            about_event_id=event_id,
            request_version=1,
            kind="request_received",
            context={},
            status="awaiting_contact",
            attempts=0,
        )

    async with sessions() as tx:
        (notification,) = (await tx.scalars(select(Notification))).all()
    assert notification.status == "pending"


async def test_a_submission_releases_only_the_waiting_notifications_of_its_own_request(sessions):
    request_id = uuid4()
    waiting, _ = await record(sessions, request_id=request_id, status="awaiting_contact")
    other, _ = await record(sessions, status="awaiting_contact")

    async with sessions.begin() as tx:
        await repository.release_awaiting(tx, request_id)

    async with sessions() as tx:
        assert (await tx.get(Notification, waiting)).status == "pending"
        assert (await tx.get(Notification, other)).status == "awaiting_contact"


async def test_deliveries_of_a_request_are_loaded_for_its_employer_only(sessions):
    request_id = uuid4()
    mine, _ = await record(sessions, request_id=request_id, employer_id="0123456789")

    async with sessions() as tx:
        own, _ = await repository.load_for_request(tx, request_id, employer_id="0123456789")
        foreign, attempts = await repository.load_for_request(
            tx, request_id, employer_id="0987654321"
        )

    assert [n.id for n in own] == [mine]
    assert (foreign, attempts) == ([], [])
