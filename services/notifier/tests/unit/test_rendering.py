"""Rendering of every notification e-mail: its values, its languages, its escaping."""

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

import pytest

from notifier.rendering import (
    KINDS,
    LANGUAGES,
    NotificationContext,
    render,
)

REQUEST_ID = UUID("6f1c2b1e-52a4-4c62-9d0e-2a61b7a3c001")
NR_NUMBER = "85073003328"  # valid National Register number, printed 85.07.30-033.28
BIS_NUMBER = "90440200103"  # valid BIS number (month + 40), printed 90.44.02-001.03
PORTAL = "https://portal.idpro.example/"
REQUEST_URL = f"https://portal.idpro.example/requests/{REQUEST_ID}"

CONTEXT = NotificationContext(
    worker_name="Anna Kowalska",
    request_id=REQUEST_ID,
    portal_url=PORTAL,
    occurred_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    ssin=NR_NUMBER,
    ssin_kind="national_register",
    expected_delay_days=5,
    missing=("birth_place",),
    message="Please upload the back side.",
    reason="The document has expired.",
    reason_code="document_not_valid",
    review_reason="ambiguous_candidates",
    completed=("birth_place",),
    deadline="2025-04-03T10:00:00+00:00",
)

GREETING = {
    "fr": "Madame, Monsieur,",
    "nl": "Geachte mevrouw, geachte heer,",
    "de": "Sehr geehrte Damen und Herren,",
    "en": "Dear Sir or Madam,",
}
DATE = {"fr": "4 mars 2025", "nl": "4 maart 2025", "de": "4. März 2025", "en": "4 March 2025"}
DEADLINE = {"fr": "3 avril 2025", "nl": "3 april 2025", "de": "3. April 2025", "en": "3 April 2025"}
SUBJECT_WORDS = {
    "request_received": {"fr": "reçue", "nl": "ontvangen", "de": "eingegangen", "en": "received"},
    "number_assigned": {"fr": "attribué", "nl": "toegekend", "de": "zugewiesen", "en": "assigned"},
    "under_review": {"fr": "examen", "nl": "onderzoek", "de": "Prüfung", "en": "review"},
    "information_requested": {
        "fr": "requises",
        "nl": "nodig",
        "de": "erforderlich",
        "en": "needed",
    },
    "rejected": {"fr": "refusée", "nl": "geweigerd", "de": "abgelehnt", "en": "rejected"},
    "cancelled": {"fr": "annulée", "nl": "geannuleerd", "de": "zurückgezogen", "en": "cancelled"},
    "information_received": {
        "fr": "reçue",
        "nl": "ontvangen",
        "de": "eingegangen",
        "en": "received",
    },
    "information_reminder": {
        "fr": "Rappel",
        "nl": "Herinnering",
        "de": "Erinnerung",
        "en": "Reminder",
    },
    "expired": {"fr": "expirée", "nl": "vervallen", "de": "abgelaufen", "en": "expired"},
}
# The reason an agent chose, as contracts words it, and what the registry completed.
NOT_VALID = {
    "fr": "pas valable",
    "nl": "niet geldig",
    "de": "ungültig",
    "en": "not valid",
}
AGENT_CHECKS = {
    "fr": "un agent vérifie",
    "nl": "een medewerker",
    "de": "Sachbearbeiter",
    "en": "an agent checks",
}
PLACE_OF_BIRTH = {
    "fr": "lieu de naissance",
    "nl": "geboorteplaats",
    "de": "Geburtsort",
    "en": "place of birth",
}


def expected_values(kind: str, language: str) -> list[str]:
    """What the body of `kind` must show, besides the greeting and the worker's name."""
    return {
        "request_received": [DATE[language]],
        "number_assigned": ["85.07.30-033.28", PLACE_OF_BIRTH[language]],
        "under_review": ["5", AGENT_CHECKS[language]],
        "information_requested": [
            PLACE_OF_BIRTH[language],
            "Please upload the back side.",
            REQUEST_URL,
        ],
        "rejected": [NOT_VALID[language], "The document has expired."],
        "cancelled": [DATE[language]],
        "information_received": [DATE[language]],
        "information_reminder": [PLACE_OF_BIRTH[language], DEADLINE[language], REQUEST_URL],
        "expired": [DATE[language]],
    }[kind]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_every_language_with_its_values(kind, language):
    rendered = render(kind, language=language, context=CONTEXT)

    assert SUBJECT_WORDS[kind][language] in rendered.subject
    assert "Anna Kowalska" in rendered.subject
    for body in (rendered.text, rendered.html):
        assert GREETING[language] in body
        assert "Anna Kowalska" in body
        assert str(REQUEST_ID) in body
        for value in expected_values(kind, language):
            assert value in body
    assert f'<html lang="{language}">' in rendered.html


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "numéro BIS"), ("nl", "BIS-nummer"), ("de", "BIS-Nummer"), ("en", "BIS number")],
)
def test_a_bis_number_is_printed_formatted_and_named_a_bis_number(language, label):
    bis = replace(CONTEXT, ssin=BIS_NUMBER, ssin_kind="existing_bis")

    rendered = render("number_assigned", language=language, context=bis)

    assert "90.44.02-001.03" in rendered.text and "90.44.02-001.03" in rendered.html
    assert label in rendered.text


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "registre national (NISS)"), ("nl", "rijksregisternummer (INSZ)"), ("en", "INSZ/NISS")],
)
def test_a_national_register_number_is_named_with_the_local_acronym(language, label):
    rendered = render("number_assigned", language=language, context=CONTEXT)

    assert label in rendered.text
    assert "BIS" not in rendered.text.split("85.07.30-033.28")[0].splitlines()[-3]


def test_a_new_bis_number_says_the_person_was_not_yet_known():
    new = replace(CONTEXT, ssin=BIS_NUMBER, ssin_kind="new_bis")

    rendered = render("number_assigned", language="nl", context=new)

    assert "nieuw BIS-nummer" in rendered.text
    assert "nieuw BIS-nummer" not in render("number_assigned", language="nl", context=CONTEXT).text


def test_the_number_tells_it_is_a_bis_number_when_the_event_does_not_say():
    unknown_kind = replace(CONTEXT, ssin=BIS_NUMBER, ssin_kind=None)

    assert "BIS-Nummer" in render("number_assigned", language="de", context=unknown_kind).text


def test_number_assigned_without_a_number_is_refused():
    with pytest.raises(ValueError):
        render("number_assigned", language="en", context=replace(CONTEXT, ssin=None))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "binnen 1 dag te antwoorden"),
        (12, "binnen 12 dagen te antwoorden"),
        (None, "zo snel mogelijk"),
    ],
)
def test_under_review_gives_the_delay_when_known_and_otherwise_promises_an_answer(days, expected):
    rendered = render(
        "under_review", language="nl", context=replace(CONTEXT, expected_delay_days=days)
    )

    assert expected in rendered.text and expected in rendered.html


def test_information_requested_lists_every_missing_item_readably_and_links_to_the_request():
    asked = replace(CONTEXT, missing=("documents", "contact_address", "shoe_size"))

    rendered = render("information_requested", language="fr", context=asked)

    for label in (
        "scan lisible du document d'identité",
        "adresse de contact en Belgique",
        "autres données (voir le message)",  # a code this version does not know: never raw
    ):
        assert label in rendered.text and f"<li>{label}</li>" in rendered.html.replace("&#39;", "'")
    assert f'href="{REQUEST_URL}"' in rendered.html
    assert REQUEST_URL in rendered.text


def test_mails_without_optional_reason_or_message_still_render():
    bare = replace(CONTEXT, reason=None, reason_code=None, message=None, missing=())

    for kind in KINDS:
        rendered = render(kind, language="en", context=bare)
        assert "Reason" not in rendered.text and "Message from our agent" not in rendered.text


@pytest.mark.parametrize("language", ["es", "pl", "", "xx-YY"])
def test_an_unsupported_language_falls_back_to_english(language):
    rendered = render("rejected", language=language, context=CONTEXT)

    assert rendered.subject == "Request rejected – Anna Kowalska"
    assert GREETING["en"] in rendered.text


@pytest.mark.parametrize(
    ("language", "greeting"), [("fr-BE", "fr"), ("NL_be", "nl"), ("de-DE", "de")]
)
def test_a_regional_language_tag_writes_in_its_language(language, greeting):
    assert GREETING[greeting] in render("cancelled", language=language, context=CONTEXT).text


def test_the_date_is_the_brussels_calendar_day_in_the_request_language():
    late_evening_utc = replace(CONTEXT, occurred_at=datetime(2025, 3, 4, 23, 30, tzinfo=UTC))

    rendered = render("request_received", language="fr", context=late_evening_utc)

    assert "le 5 mars 2025" in rendered.text


def test_html_escapes_script_in_every_user_supplied_value():
    script = "<script>alert(1)</script>"
    hostile = replace(
        CONTEXT, worker_name=f"Anna {script}", reason=script, message=script, missing=(script,)
    )

    for kind in KINDS:
        rendered = render(kind, language="en", context=hostile)
        assert "<script>" not in rendered.html
        assert "&lt;script&gt;" in rendered.html


def test_the_text_body_shows_user_values_as_typed():
    rendered = render(
        "rejected", language="en", context=replace(CONTEXT, reason="Smith & Sons <Ltd>")
    )

    assert "Smith & Sons <Ltd>" in rendered.text
    assert "Smith &amp; Sons &lt;Ltd&gt;" in rendered.html


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        render("promoted", language="en", context=CONTEXT)


@pytest.mark.parametrize(
    "portal", ["javascript:alert(1)//", "portal.idpro.example", "https://a.example/\r\nX: y"]
)
def test_a_portal_url_that_is_not_plain_http_is_refused(portal):
    with pytest.raises(ValueError):
        render("information_requested", language="en", context=replace(CONTEXT, portal_url=portal))
