"""Decisions: same person only when near certain, otherwise a human or more data."""

import pytest

from matching.domain import (
    FieldAgreement,
    Level,
    NeedsInformation,
    NeedsReview,
    NewPerson,
    Person,
    SamePerson,
    Scored,
    Thresholds,
    decide,
    hard_conflicts,
    score_all,
)
from matching.domain.decide import uncorroborated

from .people import HOME, kowalska

THRESHOLDS = Thresholds()


def scored(candidate_id: str, weight: float, **levels: Level) -> Scored:
    agreed = {
        "surname": Level.EXACT,
        "given_names": Level.EXACT,
        "birth_date": Level.EXACT,
        "birth_place": Level.EXACT,
    } | levels
    agreements = tuple(FieldAgreement(field, level, 0.0) for field, level in agreed.items())
    return Scored(candidate_id, weight, agreements)


def test_a_clear_best_candidate_is_the_same_person():
    best = scored("A", 35.0)

    decision = decide([best, scored("B", 12.0)], THRESHOLDS, minimum_data_met=True)

    assert decision == SamePerson("A", 35.0, because=best.agreements)


def test_two_strong_candidates_too_close_together_go_to_review():
    decision = decide([scored("A", 35.0), scored("B", 32.0)], THRESHOLDS, minimum_data_met=True)

    assert decision == NeedsReview(reason="ambiguous_candidates", candidate_ids=("A", "B"))


def test_a_plausible_candidate_below_auto_match_goes_to_review():
    decision = decide([scored("A", 20.0)], THRESHOLDS, minimum_data_met=True)

    assert decision == NeedsReview(reason="uncertain_match", candidate_ids=("A",))


@pytest.mark.parametrize(
    ("levels", "conflict"),
    [
        ({"sex": Level.DISAGREE}, "sex_differs"),
        ({"birth_date": Level.DISAGREE}, "birth_date_differs"),
        ({"given_names": Level.DISAGREE}, "given_names_differ"),
        ({"given_names": Level.SIMILAR}, "given_names_not_confirmed"),
        ({"given_names": Level.MISSING}, "given_names_not_confirmed"),
        ({"given_names": Level.ONE_OF_SEVERAL}, "given_names_not_confirmed"),
        (
            {"document": Level.DIFFERENT_NUMBER, "surname": Level.SIMILAR},
            "other_document_weak_name",
        ),
    ],
)
def test_a_hard_conflict_sends_even_a_heavy_candidate_to_review(levels, conflict):
    heavy = scored("A", 40.0, **levels)

    decision = decide([heavy], THRESHOLDS, minimum_data_met=True)

    assert conflict in hard_conflicts(heavy)
    assert decision == NeedsReview(reason="conflicting_evidence", candidate_ids=("A",))


def test_a_renewed_document_with_a_strong_name_is_no_conflict():
    assert hard_conflicts(scored("A", 40.0, document=Level.DIFFERENT_NUMBER)) == ()


def test_the_same_document_confirms_a_person_whose_given_names_are_missing():
    both = scored("A", 40.0, given_names=Level.MISSING, document=Level.EXACT)

    assert hard_conflicts(both) == ()


@pytest.mark.parametrize(
    "levels",
    [
        {"birth_place": Level.MISSING},  # name + date + nothing else independent
        {"birth_place": Level.DISAGREE, "nationality": Level.DISAGREE},
        {"birth_date": Level.ONE_DIGIT_OFF},  # not the full date
        {"birth_date": Level.PARTIAL_COMPATIBLE},
        # Nationality follows the surname's population: it corroborates only beside another.
        {"birth_place": Level.MISSING, "nationality": Level.EXACT},
        {"birth_date": Level.DAY_MONTH_SWAPPED},  # a near date: the place alone is not enough
        # Nor with the nationality: a namesake born a digit away in the same town (Tazi, Fatima,
        # Oujda) was matched so at a million persons.
        {"birth_date": Level.ONE_DIGIT_OFF, "nationality": Level.EXACT},
        # Two weak fields (a typo, a near date) need the same home and the birth place.
        {
            "given_names": Level.TYPO,
            "birth_date": Level.ONE_DIGIT_OFF,
            "nationality": Level.EXACT,
            "address": Level.DISAGREE,
        },
    ],
    ids=[
        "no-place-no-nationality",
        "place-and-nationality-differ",
        "date-one-digit",
        "partial",
        "nationality-alone",
        "swapped-date-place-alone",
        "digit-off-place-and-nationality",
        "typo-and-near-date-without-home",
    ],
)
def test_an_uncorroborated_heavy_candidate_goes_to_review(levels):
    heavy = scored("A", 40.0, **levels)

    decision = decide([heavy], THRESHOLDS, minimum_data_met=True)

    assert uncorroborated(heavy) and hard_conflicts(heavy) == ()
    assert decision == NeedsReview(reason="uncertain_match", candidate_ids=("A",))


@pytest.mark.parametrize(
    "levels",
    [
        {"birth_place": Level.MISSING, "address": Level.SAME_STREET},
        {"birth_place": Level.SIMILAR},
        {"birth_date": Level.DAY_MONTH_SWAPPED, "address": Level.EXACT},
        {"birth_place": Level.MISSING, "birth_date": Level.ONE_DIGIT_OFF, "address": Level.EXACT},
        {"birth_place": Level.MISSING, "birth_date": Level.MISSING, "document": Level.EXACT},
        {"surname": Level.FUZZY, "address": Level.EXACT},
    ],
    ids=[
        "home",
        "place-similar",
        "day-month-swapped-same-home",
        "near-date-same-home",
        "same-document",
        "surname-two-edits-at-the-same-home",
    ],
)
def test_a_full_date_and_one_more_independent_field_corroborate(levels):
    assert not uncorroborated(scored("A", 40.0, **levels))


@pytest.mark.parametrize(
    "levels",
    [
        # A stranger born that day in that town, his surname two edits away (a housemate's
        # request matched one at a million persons): only the same home tells him apart.
        {"surname": Level.FUZZY, "address": Level.DISAGREE},
        {"surname": Level.FUZZY, "address": Level.SAME_STREET},
        # A near date and a given name that is not the filed one: the twin or sibling born a
        # year off at the same home and place, however heavy.
        {"given_names": Level.TYPO, "birth_date": Level.YEAR_OFF_BY_ONE, "address": Level.EXACT},
        {
            "given_names": Level.ONE_OF_SEVERAL,
            "birth_date": Level.ONE_DIGIT_OFF,
            "address": Level.EXACT,
        },
    ],
    ids=[
        "fuzzy-surname-elsewhere",
        "fuzzy-surname-same-street",
        "typo-year-off",
        "one-of-several-digit",
    ],
)
def test_what_a_relative_or_a_near_stranger_shares_does_not_corroborate(levels):
    assert uncorroborated(scored("A", 45.0, **levels))


def test_a_stranger_sharing_surname_date_place_and_one_of_two_given_names_is_no_auto_match():
    # The quality benchmark's wrong match: a Belgian Wouters, Jan Tom, born in Hasselt on the
    # very day a registry Wouters, Jan, was; ~37 bits, all of it from correlated fields.
    wouters = dict(
        surnames="Wouters",
        sex="male",
        birth_date="1996-07-01",
        birth_place="Hasselt",
        birth_country="BE",
        nationality="BE",
    )
    registry = Person(given_names="Jan", **wouters)

    scored_all = score_all(Person(given_names="Jan Tom", **wouters), [("jan", registry)])
    decision = decide(scored_all, THRESHOLDS, minimum_data_met=True)

    assert scored_all[0].level("given_names") is Level.FIRST_OF_SEVERAL
    assert decision == NeedsReview(reason="conflicting_evidence", candidate_ids=("jan",))


def test_two_of_three_given_names_still_confirm_the_person():
    request = kowalska("Anna Maria", addresses=(HOME,))

    decision = decide(
        score_all(request, [("anna", kowalska("Anna Maria Ewa", addresses=(HOME,)))]),
        THRESHOLDS,
        minimum_data_met=True,
    )

    assert isinstance(decision, SamePerson)


def test_a_middle_name_dropped_at_her_own_home_on_her_own_day_is_the_person():
    filed = kowalska("Anna Maria", addresses=(HOME,))

    found = score_all(kowalska("Anna", addresses=(HOME,)), [("anna", filed)])
    decision = decide(found, THRESHOLDS, minimum_data_met=True)

    assert found[0].level("given_names") is Level.FIRST_OF_SEVERAL
    assert isinstance(decision, SamePerson)


@pytest.mark.parametrize(
    ("asked", "fields"),
    [
        ("Anna", {}),  # no home: a namesake born that day in that town (Jan / Jan Tom Wouters)
        ("Anna", {"birth_date": "1991-04-02"}),  # her home, another year: a relative
        ("Maria", {"addresses": (HOME,)}),  # not her first name: a twin or a sister
    ],
    ids=["no-home", "year-off", "not-the-first-name"],
)
def test_one_given_name_of_several_needs_the_first_the_home_and_the_day(asked, fields):
    filed = kowalska("Anna Maria", addresses=(HOME,))

    decision = decide(
        score_all(kowalska(asked, **fields), [("anna", filed)]), THRESHOLDS, minimum_data_met=True
    )

    assert isinstance(decision, NeedsReview)


def test_the_same_document_confirms_one_given_name_of_several():
    passport = dict(document_type="passport", document_number="EA1234567", document_country="PL")

    decision = decide(
        score_all(kowalska("Anna", **passport), [("anna", kowalska("Anna Maria", **passport))]),
        THRESHOLDS,
        minimum_data_met=True,
    )

    assert isinstance(decision, SamePerson)


def test_nothing_plausible_with_minimum_data_is_a_new_person():
    decision = decide([scored("A", THRESHOLDS.review - 1)], THRESHOLDS, minimum_data_met=True)

    assert decision == NewPerson()


def test_nothing_plausible_without_minimum_data_asks_for_what_is_missing():
    decision = decide([], THRESHOLDS, minimum_data_met=False, missing=("birth_date",))

    assert decision == NeedsInformation(missing=("birth_date",))


def test_a_twin_never_auto_matches_the_other_twin():
    ewa_requested = kowalska("Ewa")
    anna_in_registry = kowalska("Anna")

    decision = decide(
        score_all(ewa_requested, [("anna", anna_in_registry)]), THRESHOLDS, minimum_data_met=True
    )

    assert decision == NeedsReview(reason="conflicting_evidence", candidate_ids=("anna",))


def test_twins_both_in_the_registry_still_let_the_right_twin_match():
    candidates = [("anna", kowalska("Anna")), ("ewa", kowalska("Ewa"))]

    decision = decide(score_all(kowalska("Anna"), candidates), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, SamePerson) and decision.candidate_id == "anna"


def test_a_birth_year_alone_is_not_enough_to_auto_match():
    decision = decide(
        score_all(kowalska("Anna", birth_date="1990"), [("anna", kowalska("Anna"))]),
        THRESHOLDS,
        minimum_data_met=True,
    )

    assert decision == NeedsReview(reason="uncertain_match", candidate_ids=("anna",))


def test_transliterated_and_umlaut_variants_of_a_full_record_auto_match():
    request = kowalska(
        "Jürgen", surnames="Müller", birth_place="München", birth_country="DE", addresses=(HOME,)
    )
    registry = kowalska(
        "JUERGEN", surnames="MUELLER", birth_place="MUENCHEN", birth_country="DE", addresses=(HOME,)
    )

    decision = decide(score_all(request, [("m", registry)]), THRESHOLDS, minimum_data_met=True)

    assert isinstance(decision, SamePerson)


def test_a_request_without_given_names_never_picks_one_twin():
    decision = decide(
        score_all(kowalska(""), [("anna", kowalska("Anna"))]), THRESHOLDS, minimum_data_met=True
    )

    assert isinstance(decision, NeedsReview)
