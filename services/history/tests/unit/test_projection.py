"""Pure projection rules: any order, any number of replays, the same summary."""

import itertools
from datetime import UTC, datetime, timedelta
from functools import reduce
from uuid import uuid4

import pytest

from contracts import (
    Address,
    InfoProvided,
    InfoRequested,
    NotificationSent,
    NumberAssigned,
    Person,
    RequestCancelled,
    RequestData,
    RequestStatus,
    RequestSubmitted,
    ReviewOpened,
)
from history.domain import NEVER, Summary, apply, fold, name_query, timeline_item
from history.texts import describe, format_ssin

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
RID = uuid4()
COMMON = {"request_id": RID, "employer_id": "0403170701"}


def data(surnames: str, given: str = "Anna") -> RequestData:
    return RequestData(
        person=Person(surnames=surnames, given_names=given), residence=Address(country="PL")
    )


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


SUBMITTED = RequestSubmitted(
    producer="intake",
    occurred_at=at(0),
    requester_id="u1",
    requester_name="Jan Peeters",
    data=data("Kowalska"),
    notification_email="hr@example.com",
    language="nl",
    **COMMON,
)
INFO_REQUESTED = InfoRequested(
    producer="matching", occurred_at=at(1), missing=["birth_place"], **COMMON
)
INFO_PROVIDED = InfoProvided(
    producer="intake",
    occurred_at=at(2),
    provided_by="u1",
    data=data("Kowalska-Nowak"),
    request_version=2,
    **COMMON,
)
ASSIGNED = NumberAssigned(
    producer="matching",
    occurred_at=at(3),
    ssin="90440200134",
    kind="new_bis",
    request_version=2,
    **COMMON,
)
EMAIL = NotificationSent(
    producer="notifier",
    occurred_at=at(4),
    notification_id=uuid4(),
    kind="number_assigned",
    about_event_id=ASSIGNED.event_id,
    language="nl",
    **COMMON,
)
LIFE = (SUBMITTED, INFO_REQUESTED, INFO_PROVIDED, ASSIGNED, EMAIL)


def project(events) -> Summary:
    return reduce(apply, events, Summary())


def test_a_whole_lifecycle_ends_assigned_with_the_corrected_name_and_number():
    summary = project(LIFE)

    assert summary.status == RequestStatus.NUMBER_ASSIGNED
    assert (summary.worker_name, summary.ssin) == ("Anna Kowalska-Nowak", "90440200134")
    assert (summary.requester_id, summary.submitted_at) == ("u1", at(0))
    assert summary.action_required is False


@pytest.mark.parametrize("order", list(itertools.permutations(LIFE)))
def test_every_arrival_order_gives_the_same_summary(order):
    assert project(order) == project(LIFE)


def test_replaying_every_event_changes_nothing():
    assert project(LIFE + LIFE[::-1]) == project(LIFE)


def test_a_late_information_request_does_not_move_an_assigned_request_back():
    summary = project([SUBMITTED, ASSIGNED, INFO_REQUESTED])

    assert summary.status == RequestStatus.NUMBER_ASSIGNED
    assert summary.action_required is False


def test_an_information_request_makes_action_required_until_the_employer_answers():
    assert project([SUBMITTED, INFO_REQUESTED]).action_required is True
    assert project([SUBMITTED, INFO_REQUESTED, INFO_PROVIDED]).action_required is False


def test_a_late_submission_does_not_overwrite_a_newer_correction_of_the_name():
    summary = project([INFO_PROVIDED, SUBMITTED])

    assert summary.worker_name == "Anna Kowalska-Nowak"
    assert summary.submitted_at == at(0)


def test_an_email_is_on_the_timeline_but_is_not_a_change_of_the_request():
    assert project([SUBMITTED, EMAIL]).last_change_at == at(0)
    assert project([EMAIL]).last_change_at == NEVER
    assert timeline_item(EMAIL).kind == "email_sent"


def test_a_cancellation_after_review_is_final():
    cancelled = RequestCancelled(producer="intake", occurred_at=at(5), cancelled_by="u1", **COMMON)
    review = ReviewOpened(
        producer="matching", occurred_at=at(1), case_id=uuid4(), reason="twins", **COMMON
    )

    assert project([SUBMITTED, cancelled, review]).status == RequestStatus.CANCELLED


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Müller-Lüdenscheidt", "muller ludenscheidt"),
        ("  ŁUKASZ  Żółć ", "lukasz zolc"),
        ("Ørsted Æsa", "orsted aesa"),
        ("Straße", "strasse"),
        (None, ""),
    ],
)
def test_names_fold_to_lower_case_words_without_accents(raw, folded):
    assert fold(raw) == folded


def test_a_name_search_asks_every_typed_word_as_a_prefix():
    assert name_query("Kowal  ÁN") == "kowal:* & an:*"
    assert name_query(" -- ") is None


def test_the_timeline_text_follows_the_readers_language_and_hides_agent_ids():
    item = timeline_item(ASSIGNED.model_copy(update={"decided_by": "agent", "agent_id": "a7"}))

    assert item.actor == "agent:a7"
    assert describe(item.kind, item.actor, item.details, "fr") == (
        "Numéro 90.44.02-001.34 attribué (nouveau numéro BIS créé)."
    )
    assert (
        describe("cancelled", "agent:a7", {}, "nl") == "Aanvraag geannuleerd door een medewerker."
    )

    assert format_ssin("90440200134") == "90.44.02-001.34"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "E-mail sent (number assigned)."),
        ("fr", "E-mail envoyé (numéro attribué)."),
        ("nl", "E-mail verzonden (nummer toegekend)."),
        ("de", "E-Mail gesendet (Nummer zugeteilt)."),
    ],
)
def test_an_email_on_the_timeline_says_what_it_was_about_in_the_readers_language(
    language, expected
):
    assert describe("email_sent", "idpro", {"kind": "number_assigned"}, language) == expected


def test_codes_on_the_timeline_read_as_words_in_the_readers_language():
    asked = {"missing": ["birth_place", "document_number"], "message": "We need: birth_place."}

    assert describe("information_requested", "idpro", asked, "fr") == (
        "Informations demandées : lieu de naissance, numéro du document d'identité."
    )
    assert describe("email_sent", "idpro", {"kind": "information_received"}, "de") == (
        "E-Mail gesendet (Antwort eingegangen)."
    )


def test_a_rejection_reads_the_chosen_reason_then_what_the_agent_wrote_to_the_employer():
    details = {"reason_code": "job_student", "reason": "Voir Dimona STU."}

    text = describe("rejected", "agent:a7", details, "fr")

    assert text.startswith("Demande refusée : Les étudiants jobistes étrangers")
    assert text.endswith("Voir Dimona STU.")
