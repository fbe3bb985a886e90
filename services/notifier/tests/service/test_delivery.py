"""One e-mail per (event, recipient), in the request's language, with a deterministic Message-ID."""

import asyncio
import hashlib
from email.utils import parsedate_to_datetime

import pytest

from contracts import (
    InfoRequested,
    NotificationFailed,
    NotificationSent,
    NumberAssigned,
    RequestCancelled,
    RequestRejected,
    ReviewOpened,
)
from eventing.consumer import Outcome
from eventing.db import transaction
from notifier import handlers, repository

# The subject lines of the catalogues (en is the source text), for the worker "Anna Kowalska".
SUBJECTS = {
    "en": [
        "Request received",
        "Identification number assigned",
        "Request under review",
        "Information needed",
        "Request rejected",
        "Request cancelled",
    ],
    "fr": [
        "Demande reçue",
        "Numéro d’identification attribué",
        "Demande en cours d’examen",
        "Informations complémentaires requises",
        "Demande refusée",
        "Demande annulée",
    ],
    "nl": [
        "Aanvraag ontvangen",
        "Identificatienummer toegekend",
        "Aanvraag in onderzoek",
        "Bijkomende informatie nodig",
        "Aanvraag geweigerd",
        "Aanvraag geannuleerd",
    ],
    "de": [
        "Antrag eingegangen",
        "Identifikationsnummer zugewiesen",
        "Antrag in Prüfung",
        "Weitere Angaben erforderlich",
        "Antrag abgelehnt",
        "Antrag zurückgezogen",
    ],
}


def decisions(request, follow_up):
    """One event of every other kind the notifier e-mails about, in lifecycle order."""
    return [
        follow_up(request, NumberAssigned, ssin="90072800255", kind="new_bis"),
        follow_up(
            request,
            ReviewOpened,
            case_id=request.event_id,
            reason="ambiguous_candidates",
            expected_delay_days=5,
        ),
        follow_up(request, InfoRequested, missing=["birth_place"], message="Please add it."),
        follow_up(
            request,
            RequestRejected,
            reason_code="document_expired",
            reason="The passport has expired.",
        ),
        follow_up(request, RequestCancelled, cancelled_by="hr-1"),
    ]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
async def test_every_kind_reaches_the_employer_in_the_language_of_the_request(
    stack, make_follow_up, language
):
    request = await stack.submit(language=language)
    for event in decisions(request, make_follow_up):
        await stack.publish(event)

    await stack.deliver_all()

    assert [m.subject for m in stack.sink.received] == [
        f"{subject} – Anna Kowalska" for subject in SUBJECTS[language]
    ]
    assert {m.to for m in stack.sink.received} == {(str(request.notification_email),)}
    assert [n.language for n in await stack.staged(NotificationSent)] == [language] * 6


async def test_a_sent_email_carries_a_date_and_the_message_id_derived_from_event_and_recipient(
    stack,
):
    request = await stack.submit()

    await stack.deliver_all()

    (mail,) = stack.sink.received
    recipient = str(request.notification_email).strip().lower()
    digest = hashlib.sha256(f"{request.event_id}:{recipient}".encode()).hexdigest()[:32]
    assert mail.message_id == f"<{digest}@idpro.example>"
    assert mail.message_id == (await stack.notification(request)).message_id
    sent_at = (await stack.notification(request)).sent_at
    assert abs((parsedate_to_datetime(mail.date) - sent_at).total_seconds()) < 5


async def test_a_replayed_event_is_skipped_by_the_inbox_and_sends_no_second_email(stack):
    request = await stack.submit()

    assert await stack.publish(request) is Outcome.DUPLICATE
    await stack.deliver_all()
    assert await stack.publish(request) is Outcome.DUPLICATE
    await stack.deliver_all()

    assert len(stack.sink.received) == 1
    assert len(await stack.notifications()) == 1
    assert len(await stack.staged(NotificationSent)) == 1


async def test_the_handler_run_twice_for_one_event_records_one_notification_and_sends_one_email(
    stack, make_follow_up
):
    request = await stack.submit()
    decision = make_follow_up(request, NumberAssigned, ssin="90072800255", kind="new_bis")

    for _ in range(2):  # without the inbox: the notification row itself must absorb the replay
        async with transaction(stack.database.sessions) as tx:
            await handlers.on_event(decision, tx)
    await stack.deliver_all()
    async with transaction(stack.database.sessions) as tx:
        await handlers.on_event(decision, tx)
    await stack.deliver_all()

    assert [m.subject for m in stack.sink.received] == [
        "Request received – Anna Kowalska",
        "Identification number assigned – Anna Kowalska",
    ]
    assert (await stack.notification(decision)).status == "sent"
    assert len(await stack.notifications()) == 2


async def test_a_mark_that_fails_after_smtp_accepted_is_retried_and_the_mail_is_not_sent_again(
    stack, monkeypatch
):
    # The exchange is outside the transaction that records it: when that commit fails, only
    # the record is tried again.
    request = await stack.submit()
    dispatcher = stack.dispatcher()
    record, failures = repository.mark_sent, []

    async def database_away_twice(*args, **kwargs):
        if len(failures) < 2:
            failures.append(1)
            raise ConnectionResetError("the database went away after SMTP accepted the message")
        return await record(*args, **kwargs)

    monkeypatch.setattr(repository, "mark_sent", database_away_twice)
    await stack.deliver_all(dispatcher)

    (mail,) = stack.sink.received
    notification = await stack.notification(request)
    assert (notification.status, notification.message_id) == ("sent", mail.message_id)
    assert len(failures) == 2 and [a.outcome for a in await stack.attempts(request)] == ["sent"]
    assert [e.notification_id for e in await stack.staged(NotificationSent)] == [notification.id]


async def test_a_claimer_that_dies_between_250_and_the_mark_leaves_one_copy_after_its_lease(
    stack, monkeypatch
):
    # The window that remains: the process dies after the server's 250, before the mark. The
    # claim's lease runs out and the message goes again, with the same Message-ID.
    request = await stack.submit()
    record = repository.mark_sent

    async def process_dies(*args, **kwargs):
        monkeypatch.setattr(repository, "mark_sent", record)
        raise asyncio.CancelledError  # what a kill does to the task, short of the process

    monkeypatch.setattr(repository, "mark_sent", process_dies)
    with pytest.raises(asyncio.CancelledError):
        await stack.dispatcher().dispatch_one()
    claimed = await stack.notification(request)
    successor = stack.dispatcher()
    leased = not await successor.dispatch_one()
    for _ in range(100):  # the lease (2.5 s here) runs out, then it goes again
        if await successor.dispatch_one():
            break
        await asyncio.sleep(0.1)
    await successor.close_connections()

    first, again = stack.sink.received
    assert claimed.status == "sending" and leased
    assert first.message_id == again.message_id == claimed.message_id
    assert (await stack.notification(request)).status == "sent"
    assert len(await stack.staged(NotificationSent)) == 1


async def test_a_decision_that_arrives_before_the_submission_waits_for_the_contact(
    stack, make_submitted, make_follow_up
):
    request = make_submitted(language="nl")
    decision = make_follow_up(request, NumberAssigned, ssin="90072800255", kind="new_bis")

    await stack.publish(decision)
    nothing_due = not await stack.dispatcher().dispatch_one()
    await stack.publish(request)
    await stack.deliver_all()

    assert nothing_due
    assert sorted(m.subject for m in stack.sink.received) == [
        "Aanvraag ontvangen – Anna Kowalska",
        "Identificatienummer toegekend – Anna Kowalska",
    ]


async def test_an_email_that_cannot_be_rendered_fails_at_once_and_does_not_block_the_queue(stack):
    # A blank name cannot be rendered; retrying would hold the oldest slot of the queue forever.
    broken = await stack.submit(surnames=" ", given_names=None)
    healthy = await stack.submit()

    await stack.deliver_all()

    notification = await stack.notification(broken)
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert [e.about_event_id for e in await stack.staged(NotificationFailed)] == [broken.event_id]
    assert [(a.outcome, a.error_class) for a in await stack.attempts(broken)] == [
        ("permanent", "ValueError")
    ]
    assert [m.to for m in stack.sink.received] == [(str(healthy.notification_email),)]


async def test_a_sent_email_whose_mark_waits_past_its_lease_is_not_sent_again(stack, monkeypatch):
    # The database down longer than the claim's lease (2.5 s here): the mark is retried, the lease
    # runs out, and another lane of the same process claims the message again once the database
    # answers. make chaos saw that as 3 copies when PostgreSQL stopped for 30 s (lease 30 s).
    request = await stack.submit()
    record, database_down = repository.mark_sent, asyncio.Event()
    database_down.set()

    async def mark_sent(*args, **kwargs):
        if database_down.is_set():
            raise OSError("connection refused")
        return await record(*args, **kwargs)

    monkeypatch.setattr(repository, "mark_sent", mark_sent)
    dispatcher = stack.dispatcher()
    first_lane = asyncio.create_task(dispatcher.dispatch_one())
    for _ in range(200):
        if stack.sink.received:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(3.0)  # the lease ran out; the mark still fails
    # Another lane finds it due again (sending it again, its own mark would wait as well).
    found = await asyncio.wait_for(dispatcher.dispatch_one(), 10)
    database_down.clear()
    await asyncio.wait_for(first_lane, 30)
    await dispatcher.close_connections()

    assert found  # it was claimed again, so the lease had run out
    assert len(stack.sink.received) == 1
    notification = await stack.notification(request)
    assert notification.status == "sent"
    assert [e.notification_id for e in await stack.staged(NotificationSent)] == [notification.id]
