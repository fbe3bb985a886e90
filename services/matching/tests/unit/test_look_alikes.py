"""Look-alikes a decision must not take for the person: new or married surnames, sisters at one
home, namesakes, typos and near dates; and the variants that still are the person."""

import pytest

from matching.domain import (
    Level,
    NeedsReview,
    Person,
    SamePerson,
    Thresholds,
    decide,
    score_all,
)
from matching.domain.decide import uncorroborated
from matching.domain.scoring import Frequencies

from .people import HOME, kowalska

THRESHOLDS = Thresholds()


def test_a_new_surname_with_given_name_date_place_and_home_is_no_automatic_match():
    # Seen in the portal: a random new surname beside a registry person's given name, birth
    # date, birth place and home was answered "existing BIS" at once. A married surname is a
    # hypothesis an agent confirms; given name + date + home + place alone never prove it.
    registry = kowalska("Anna", addresses=(HOME,))
    request = kowalska("Anna", surnames="Zielińska", addresses=(HOME,))

    found = score_all(request, [("anna", registry)])
    lower = Thresholds(auto_match=25.0)
    decision = decide(found, lower, minimum_data_met=True)

    assert found[0].level("surname") is Level.DISAGREE
    assert found[0].weight >= lower.auto_match  # the weight alone would have matched
    assert decision == NeedsReview(reason="conflicting_evidence", candidate_ids=("anna",))


def test_a_married_surname_with_the_same_document_is_the_same_person():
    passport = dict(document_type="passport", document_number="EA1234567", document_country="PL")
    registry = kowalska("Anna", addresses=(HOME,), **passport)
    request = kowalska("Anna", surnames="Zielińska", addresses=(HOME,), **passport)

    decision = decide(score_all(request, [("anna", registry)]), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, SamePerson)


def test_a_married_surname_joined_to_the_birth_surname_still_matches():
    registry = kowalska("Anna", addresses=(HOME,))
    request = kowalska("Anna", surnames="Zielińska-Kowalska", addresses=(HOME,))

    decision = decide(score_all(request, [("anna", registry)]), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, SamePerson)


def test_a_sister_at_the_same_address_with_a_close_given_name_goes_to_review():
    # Families at one address: a new "Anna Maria" beside her sister "Anna Marta".
    registry = kowalska("Anna Marta", addresses=(HOME,), birth_date="1988-09-21")
    request = kowalska("Anna Maria", addresses=(HOME,))

    decision = decide(score_all(request, [("marta", registry)]), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, NeedsReview)


# A registry large enough to tell names from typos: these spellings are names, others are not.
REGISTRY_NAMES = Frequencies(
    {("given", name): 100 for name in ("MARIA", "ANNE", "JAN", "NIKOLAY", "MARTIN", "ANNA")},
    total=100_000,
)


def test_a_given_name_typo_of_a_long_name_still_confirms_the_person():
    registry = kowalska("Katarzyna", addresses=(HOME,))
    request = kowalska("Katarzyma", addresses=(HOME,))
    names = Frequencies({("given", "KATARZYNA"): 100}, total=100_000)

    found = score_all(request, [("k", registry)], frequency=names)

    assert found[0].level("given_names") is Level.TYPO
    assert isinstance(decide(found, THRESHOLDS, minimum_data_met=True), SamePerson)


def test_a_namesake_born_on_the_swapped_day_is_no_automatic_match():
    # Tuning set (seed 101): a namesake born the same year whose day and month happened to be the
    # registry person's swapped, another birth place and home; only the nationality agreed.
    registry = kowalska("Pieter Wim", surnames="Corekhout", birth_date="1992-07-02")
    request = kowalska(
        "Pieter Wim", surnames="Corekhout", birth_date="1992-02-07", birth_place="Gent"
    )

    decision = decide(score_all(request, [("p", registry)]), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, NeedsReview)


def test_a_given_name_typo_and_a_date_digit_off_without_the_home_is_no_automatic_match():
    # Tuning set: Russo Marha 1984-01-16 (a stranger) against Russo Maria 1984-04-16.
    registry = kowalska("Maria", surnames="Russo", birth_date="1984-04-16", addresses=(HOME,))
    request = kowalska("Marha", surnames="Russo", birth_date="1984-01-16")

    found = score_all(request, [("m", registry)], frequency=REGISTRY_NAMES)
    decision = decide(found, THRESHOLDS, minimum_data_met=True)

    assert found[0].level("given_names") is Level.TYPO
    assert isinstance(decision, NeedsReview)


@pytest.mark.parametrize(
    ("requested", "registered"),
    [("Ine", "Anne"), ("Jon", "Jan"), ("Martin Nikolkay", "Nikolay")],
    ids=["other-first-letter", "short", "one-of-several-with-a-typo"],
)
def test_a_twin_s_given_name_near_the_other_twin_s_confirms_nobody(requested, registered):
    # Twins share surname, date, place and home: only the given names tell them apart, and
    # short names (or one name among several) sit a typo away from each other.
    request = kowalska(requested, addresses=(HOME,))
    registry = kowalska(registered, addresses=(HOME,))

    found = score_all(request, [("twin", registry)], frequency=REGISTRY_NAMES)
    decision = decide(found, THRESHOLDS, minimum_data_met=True)

    assert found[0].level("given_names") is not Level.TYPO
    assert isinstance(decision, NeedsReview)


def test_a_near_date_with_the_same_home_and_strong_names_is_the_same_person():
    # The sparse profile (names, date, residence): a date one digit off, nothing else to weigh.
    registry = Person(
        surnames="Kowalska", given_names="Anna", birth_date="1990-04-02", addresses=(HOME,)
    )
    request = Person(
        surnames="Kowalska", given_names="Anna", birth_date="1990-04-03", addresses=(HOME,)
    )

    found = score_all(request, [("anna", registry)])

    assert not uncorroborated(found[0])
