"""Dates, waits, colons and countries as each language writes them."""

from datetime import UTC, datetime

import pytest

from gateway.i18n import _current
from gateway.pages.formats import colon, countries, country_code, country_name, format_day, waited
from gateway.pages.review import decision_body


@pytest.fixture
def speak():
    tokens = []

    def use(language: str) -> None:
        tokens.append(_current.set(language))

    yield use
    for token in reversed(tokens):
        _current.reset(token)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("fr", "1er décembre 2026"),
        ("nl", "1 december 2026"),
        ("de", "1. Dezember 2026"),
        ("en", "1 December 2026"),
    ],
)
def test_the_first_of_a_month_is_written_as_each_language_writes_it(speak, language, written):
    speak(language)
    assert format_day(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == written


def test_french_puts_a_space_before_the_colon(speak):
    speak("fr")
    assert colon("Statut") == "Statut\u00a0:"
    speak("en")
    assert colon("Status") == "Status:"


@pytest.mark.parametrize(
    ("hours", "words"), [(0.04, "2 minutes"), (1.5, "90 minutes"), (5.2, "5 hours"), (72, "3 days")]
)
def test_a_wait_reads_in_minutes_then_hours_then_days(speak, hours, words):
    speak("en")
    assert waited(hours) == words


def test_a_country_is_typed_by_its_name_in_any_language_and_shown_in_the_pages(speak):
    speak("fr")
    assert (country_code("Pologne"), country_code("polen"), country_code("pl")) == (
        "PL",
        "PL",
        "PL",
    )
    assert country_name("DE") == "Allemagne"
    assert country_code("Pologne du Nord") == "Pologne du Nord"  # left for intake to refuse
    names = [name for _, name in countries("fr")]
    assert "Pologne" in names and "Union européenne" not in names


def test_the_agents_internal_note_never_travels_as_the_employers_message():
    body = decision_body("reject", "note: looked twice", "", "", [], "job_student")

    assert body == {
        "action": "reject",
        "reason": "note: looked twice",
        "reason_code": "job_student",
    }
    asked = decision_body(
        "request_information", "n", "", "Le verso, svp.", ["documents", "shoe"], ""
    )
    assert asked == {
        "action": "request_information",
        "reason": "n",
        "missing": ["documents"],
        "message": "Le verso, svp.",
    }


@pytest.mark.parametrize(
    "args",
    [
        ("reject", "note", "", "", [], ""),  # a rejection names its reason
        ("same_person", "note", "", "", [], ""),  # and a match its person
        ("request_information", "note", "", "", [], ""),  # and a request what is missing
        ("new_person", " ", "", "", [], ""),  # every decision has its note
    ],
)
def test_a_decision_lacking_what_it_needs_is_not_sent(args):
    assert decision_body(*args) is None
