"""The reminder of an unanswered information request and its expiry reach the employer, in the
request's language, the reminder with the day it expires."""

from datetime import UTC, datetime, timedelta

import pytest

from contracts import InfoReminded, NotificationSent, RequestExpired

WORDS = {
    "fr": ("Rappel : informations nécessaires", "Demande expirée", "lieu de naissance"),
    "nl": ("Herinnering: gegevens nodig", "Aanvraag vervallen", "geboorteplaats"),
    "de": ("Erinnerung: Angaben erforderlich", "Antrag abgelaufen", "Geburtsort"),
    "en": ("Reminder: information needed", "Request expired", "place of birth"),
}
DEADLINE = {"fr": "3 avril 2031", "nl": "3 april 2031", "de": "3. April 2031", "en": "3 April 2031"}


@pytest.mark.parametrize("language", list(WORDS))
async def test_the_reminder_names_the_deadline_and_the_expiry_says_the_request_is_closed(
    stack, make_follow_up, language
):
    request = await stack.submit(language=language)
    asked = datetime(2031, 3, 4, 10, tzinfo=UTC)
    await stack.publish(
        make_follow_up(
            request,
            InfoReminded,
            requested_at=asked,
            expires_at=asked + timedelta(days=30),
            missing=["birth_place"],
        )
    )
    await stack.publish(make_follow_up(request, RequestExpired, requested_at=asked, after_days=30))

    await stack.deliver_all()

    reminder_subject, expired_subject, missing = WORDS[language]
    mails = [m for m in stack.sink.received if m.to == (str(request.notification_email),)]
    assert [m.subject for m in mails][-2:] == [
        f"{reminder_subject} – Anna Kowalska",
        f"{expired_subject} – Anna Kowalska",
    ]
    reminder = mails[-2].text
    assert DEADLINE[language] in reminder and missing in reminder
    kinds = [n.kind for n in await stack.staged(NotificationSent)][-2:]
    assert kinds == ["information_reminder", "expired"]
