"""An information request's reminder lands on the timeline; its expiry is the final status."""

from datetime import UTC, datetime, timedelta
from functools import reduce
from uuid import uuid4

from contracts import InfoReminded, InfoRequested, RequestExpired, RequestStatus, ReviewOpened
from history.domain import Summary, apply, timeline_item
from history.texts import describe

ASKED = datetime(2025, 3, 4, 9, tzinfo=UTC)
COMMON = {"request_id": uuid4(), "employer_id": "0403170701"}
REQUESTED = InfoRequested(producer="matching", occurred_at=ASKED, missing=["birth_place"], **COMMON)
REMINDED = InfoReminded(
    producer="intake",
    occurred_at=ASKED + timedelta(days=7),
    requested_at=ASKED,
    expires_at=ASKED + timedelta(days=30),
    missing=["birth_place"],
    **COMMON,
)
EXPIRED = RequestExpired(
    producer="intake",
    occurred_at=ASKED + timedelta(days=30),
    requested_at=ASKED,
    after_days=30,
    **COMMON,
)


def test_an_expired_request_stays_expired_whatever_arrives_after_or_late():
    late_review = ReviewOpened(
        producer="matching", occurred_at=ASKED, case_id=uuid4(), reason="x", **COMMON
    )
    for order in ([REQUESTED, REMINDED, EXPIRED, late_review], [EXPIRED, REQUESTED, REMINDED]):
        assert reduce(apply, order, Summary()).status == RequestStatus.EXPIRED


def test_a_reminder_is_no_change_of_the_request():
    asked = apply(Summary(), REQUESTED)

    assert apply(asked, REMINDED).last_change_at == asked.last_change_at


def test_the_timeline_says_when_the_request_expires_and_that_it_expired_in_every_language():
    reminded, expired = timeline_item(REMINDED), timeline_item(EXPIRED)

    assert "3 avril 2025" in describe(reminded.kind, reminded.actor, reminded.details, "fr")
    assert "lieu de naissance" in describe(reminded.kind, reminded.actor, reminded.details, "fr")
    assert "3. April 2025" in describe(reminded.kind, reminded.actor, reminded.details, "de")
    assert "30 dagen" in describe(expired.kind, expired.actor, expired.details, "nl")
    assert "30 days" in describe(expired.kind, expired.actor, expired.details, "en")
