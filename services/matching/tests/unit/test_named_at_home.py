"""The very names at the very home, born that day: the person, whatever common names weigh."""

import pytest

from matching.domain import Level, NeedsReview, Person, SamePerson, Thresholds, decide, score_all
from matching.domain.address import Address
from matching.domain.decide import named_at_home
from matching.domain.scoring import Frequencies

HOME = Address("Kerkstraat", "12", "9000", "Gent", "BE")
# A million persons where PEETERS and ELS are common: names and date alone weigh ~25 bits.
REGISTRY = Frequencies({("surname", "PEETERS"): 9_000, ("given", "ELS"): 12_000}, total=1_000_000)


def sparse(given: str = "Els", **fields) -> Person:
    """What a sparse request holds: names, birth date and residence."""
    base = dict(surnames="Peeters", given_names=given, birth_date="1984-05-17", addresses=(HOME,))
    return Person(**(base | fields))


def decision(request: Person, *registry: Person):
    found = score_all(request, [(f"p{i}", p) for i, p in enumerate(registry)], frequency=REGISTRY)
    return found, decide(found, Thresholds(), minimum_data_met=True)


@pytest.mark.parametrize(
    ("asked", "filed"),
    [
        ("1984-05-17", "1984-05-17"),
        ("1985-05-17", "1984-05-17"),  # the year off by one
        ("1984-12-05", "1984-05-12"),  # day and month swapped
        ("1984-05", "1984-05-17"),
        ("1984", "1984-05-17"),
    ],
)
def test_the_same_names_at_the_same_home_are_the_person_below_the_threshold(asked, filed):
    found, decided = decision(sparse(birth_date=asked), sparse(birth_date=filed))

    assert found[0].weight < Thresholds().auto_match and named_at_home(found[0])
    assert isinstance(decided, SamePerson)


@pytest.mark.parametrize(
    ("request_fields", "why"),
    [
        ({"addresses": (Address("Kerkstraat", "14", "9000", "Gent", "BE"),)}, "another number"),
        ({"given_names": "Els Maria"}, "one of several given names"),
        ({"given_names": "Ellen"}, "another given name: a sister"),
        ({"birth_date": "1954-05-17"}, "a year digit off: the father"),
        ({"birth_date": "1986-05-17"}, "two years apart"),
        ({"surnames": "Els", "given_names": "Peeters"}, "swapped names"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_anything_less_than_the_very_names_home_and_day_goes_to_review(request_fields, why):
    found, decided = decision(sparse(**request_fields), sparse())

    assert not named_at_home(found[0]), why
    assert isinstance(decided, NeedsReview), why


def test_two_registry_persons_named_at_the_same_home_go_to_review():
    # The margin still stands: a registry holding the person twice is for an agent.
    _, decided = decision(sparse(), sparse(), sparse())

    assert isinstance(decided, NeedsReview)


def test_a_sex_disagreement_still_forbids_it():
    found, decided = decision(sparse(sex="male"), sparse(sex="female"))

    assert found[0].level("sex") is Level.DISAGREE and isinstance(decided, NeedsReview)
