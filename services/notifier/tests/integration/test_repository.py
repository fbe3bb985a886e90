"""notifier's named queries against PostgreSQL: locking, release, tenant filter, replays."""

import asyncio
import hashlib
import re
from uuid import uuid4

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from notifier import repository
from notifier.config import NotifierSettings
from notifier.domain import notification_id
from notifier.tables import Notification


async def record(sessions, *, request_id=None, employer_id="0123456789", status="pending"):
    """One notification about a fresh event; its id."""
    event_id = uuid4()
    async with sessions.begin() as tx:
        await tx.execute(
            repository.record_notification(
                {
                    "id": notification_id(event_id),
                    "request_id": request_id or uuid4(),
                    "employer_id": employer_id,
                    "about_event_id": event_id,
                    "request_version": 1,
                    "kind": "request_received",
                    "context": {},
                    "status": status,
                    "attempts": 0,
                }
            )
        )
    return notification_id(event_id), event_id


def a_contact(request_id, email="HR@Example.be "):
    return {
        "request_id": request_id,
        "employer_id": "0123456789",
        "email": email,
        "language": "nl",
        "worker_name": "KOWALSKA, Anna",
    }


async def contact(sessions, request_id, email="HR@Example.be "):
    """The contact as a submission stores it (with the submission's own intent)."""
    event_id = uuid4()
    intent = {
        "id": notification_id(event_id),
        "request_id": request_id,
        "employer_id": "0123456789",
        "about_event_id": event_id,
        "request_version": 1,
        "kind": "request_received",
        "context": {},
        "status": "sent",  # out of the way of the claims these tests count
        "attempts": 0,
    }
    async with sessions.begin() as tx:
        await tx.execute(repository.record_submission(a_contact(request_id, email), intent))


async def claim(engine, *, lease_s=30.0):
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        return await repository.claim_due(conn, lease_s=lease_s, message_id_domain="idpro.example")


async def test_concurrent_claimers_each_take_a_different_due_notification(engine, sessions):
    for _ in range(2):
        request_id = uuid4()
        await record(sessions, request_id=request_id)
        await contact(sessions, request_id)
    # One claimer holds its row locked (a claim in flight) while two others claim.
    async with engine.connect() as holder:
        await holder.begin()
        held = await repository.claim_due(holder, lease_s=30.0, message_id_domain="idpro.example")
        other, none_left = await asyncio.gather(claim(engine), claim(engine))
        await holder.commit()

    taken = {r.id for r in (held, other, none_left) if r is not None}
    assert len(taken) == 2 and None in (other, none_left)
    assert await claim(engine) is None  # both leased now


async def test_a_claim_leases_the_notification_and_gives_its_contact_and_message_id(
    engine, sessions
):
    request_id = uuid4()
    nid, event_id = await record(sessions, request_id=request_id)
    unknown_contact, _ = await record(sessions)  # pending, but nobody to write to: never claimed
    await contact(sessions, request_id)

    claimed = await claim(engine, lease_s=0.2)
    leased = await claim(engine)
    await asyncio.sleep(0.3)
    again = await claim(engine)

    assert (claimed.id, claimed.was, claimed.attempts) == (nid, "pending", 1)
    assert (claimed.language, claimed.worker_name) == ("nl", "KOWALSKA, Anna")
    digest = hashlib.sha256(f"{event_id}:hr@example.be".encode()).hexdigest()[:32]
    assert claimed.message_id == f"<{digest}@idpro.example>"
    assert leased is None
    assert (again.id, again.was, again.attempts) == (nid, "sending", 2)
    assert again.message_id == claimed.message_id  # a resend carries the same id
    async with sessions() as tx:
        assert (await tx.get(Notification, nid)).status == "sending"
        assert (await tx.get(Notification, unknown_contact)).status == "pending"


async def test_recording_the_same_event_twice_keeps_the_first_notification(sessions):
    request_id = uuid4()
    nid, event_id = await record(sessions, request_id=request_id)
    async with sessions.begin() as tx:
        await tx.execute(
            repository.record_notification(
                {
                    "id": nid,
                    "request_id": request_id,
                    "employer_id": "0123456789",
                    "about_event_id": event_id,
                    "request_version": 1,
                    "kind": "request_received",
                    "context": {},
                    "status": "awaiting_contact",
                    "attempts": 0,
                }
            )
        )

    async with sessions() as tx:
        (notification,) = (await tx.scalars(select(Notification))).all()
    assert notification.status == "pending"


async def test_a_submission_releases_only_the_waiting_notifications_of_its_own_request(sessions):
    request_id = uuid4()
    waiting, _ = await record(sessions, request_id=request_id, status="awaiting_contact")
    other, _ = await record(sessions, status="awaiting_contact")

    await contact(sessions, request_id)

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


async def test_message_ids_differ_between_events_and_between_recipients(engine, sessions):
    """Two events to each of three addresses: six ids, each a 32-hex-digit one at the domain
    (capitals and spaces do not count: see the claim test above)."""
    ids = set()
    for email in ("hr@example.be", "boss@example.be", "payroll@example.be"):
        request_id = uuid4()
        await contact(sessions, request_id, email)
        for _ in range(2):
            await record(sessions, request_id=request_id)
        claimed = [await claim(engine), await claim(engine)]
        ids |= {c.message_id for c in claimed}
        assert all(re.fullmatch(r"<[0-9a-f]{32}@idpro\.example>", c.message_id) for c in claimed)

    assert len(ids) == 6


@pytest.mark.parametrize("domain", ["idpro.example\r\nBcc: e@x", "idpro example", "<x>", ""])
def test_a_message_id_domain_that_is_not_a_host_name_is_refused(domain):
    with pytest.raises(ValidationError, match="message_id_domain"):
        NotifierSettings(message_id_domain=domain)
