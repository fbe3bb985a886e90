"""One e-mail per (event, recipient), in the request's language, with a deterministic Message-ID."""

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
from notifier.rendering import make_message_id, notification_key

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
    key = notification_key(event_id=request.event_id, recipient=str(request.notification_email))
    assert mail.message_id == make_message_id(key, "idpro.example")
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
        async with transaction(stack.runtime.sessions) as tx:
            await handlers.on_event(decision, tx)
    await stack.deliver_all()
    async with transaction(stack.runtime.sessions) as tx:
        await handlers.on_event(decision, tx)
    await stack.deliver_all()

    assert [m.subject for m in stack.sink.received] == [
        "Request received – Anna Kowalska",
        "Identification number assigned – Anna Kowalska",
    ]
    assert (await stack.notification(decision)).status == "sent"
    assert len(await stack.notifications()) == 2


async def test_a_crash_between_sending_and_recording_resends_with_the_same_message_id(
    stack, monkeypatch
):
    # SMTP has no exactly-once: the mail left before the record was lost, so it goes again.
    # The deterministic Message-ID is what lets the receiving side recognise the duplicate.
    request = await stack.submit()
    dispatcher = stack.dispatcher()
    record = repository.save_attempt

    def crash_once(*args, **kwargs):
        monkeypatch.setattr(repository, "save_attempt", record)
        raise ConnectionResetError("killed after SMTP accepted the message")

    monkeypatch.setattr(repository, "save_attempt", crash_once)
    with pytest.raises(ConnectionResetError):
        await dispatcher.dispatch_one()
    await stack.deliver_all(dispatcher)

    first, resent = stack.sink.received
    assert first.message_id == resent.message_id
    notification = await stack.notification(request)
    assert (notification.status, notification.message_id) == ("sent", first.message_id)
    assert len(await stack.notifications()) == 1
    assert [e.notification_id for e in await stack.staged(NotificationSent)] == [notification.id]


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
