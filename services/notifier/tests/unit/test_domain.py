"""Which e-mail each event calls for, and what of the event it may quote."""

from uuid import uuid4

from contracts import (
    Address,
    InfoProvided,
    InfoRequested,
    NumberAssigned,
    Person,
    RequestData,
    RequestRejected,
    ReviewOpened,
)
from contracts.codes import DEFAULT_REVIEW_DELAY_DAYS
from notifier.domain import kind_and_context

ENVELOPE = {"producer": "test", "request_id": uuid4(), "employer_id": "0403170701"}


def test_an_automatic_information_request_quotes_its_codes_not_its_english_message():
    event = InfoRequested(
        **ENVELOPE, missing=["full_birth_date"], message="We need more data: full_birth_date."
    )

    assert kind_and_context(event) == (
        "information_requested",
        {"missing": ["full_birth_date"], "message": None},
    )


def test_an_agents_information_request_passes_the_agents_message_on():
    event = InfoRequested(
        **ENVELOPE, missing=["documents"], message="Le verso, svp.", requested_by="agent"
    )

    assert kind_and_context(event)[1]["message"] == "Le verso, svp."


def test_a_rejection_carries_the_chosen_reason_and_the_words_for_the_employer_apart():
    event = RequestRejected(**ENVELOPE, reason_code="job_student", reason="Voir Dimona STU.")

    assert kind_and_context(event) == (
        "rejected",
        {"reason_code": "job_student", "reason": "Voir Dimona STU."},
    )


def test_research_always_names_its_reason_and_a_delay():
    event = ReviewOpened(**ENVELOPE, case_id=uuid4(), reason="ambiguous_candidates")

    assert kind_and_context(event) == (
        "under_review",
        {"expected_delay_days": DEFAULT_REVIEW_DELAY_DAYS, "review_reason": "ambiguous_candidates"},
    )


def test_a_number_names_what_the_registry_completed():
    event = NumberAssigned(
        **ENVELOPE, ssin="85073003328", kind="existing_bis", completed={"birth_place": "Kraków"}
    )

    assert kind_and_context(event)[1]["completed"] == ["birth_place"]


def test_the_employers_answer_is_acknowledged_by_e_mail():
    data = RequestData(person=Person(surnames="Nowak"), residence=Address(country="PL"))
    event = InfoProvided(**ENVELOPE, provided_by="alice", data=data, request_version=2)

    assert kind_and_context(event) == ("information_received", {})
