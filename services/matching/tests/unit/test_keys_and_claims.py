"""Search keys, claimed numbers and completed fields: pure rules, no database."""

from matching.domain import (
    Entry,
    NeedsReview,
    NewPerson,
    Person,
    SamePerson,
    check_claim,
    completed_fields,
)
from matching.domain.keys import creation_lock_key, name_keys, year_keys
from matching.repository.search import query_for


def entry(person_id: int = 7, **fields) -> Entry:
    identity = Person(surnames="Kowalska", given_names="Anna", **fields)
    return Entry(person_id, "90440200222", "bis", identity, (identity,))


def test_spelling_variants_of_a_surname_share_a_search_key():
    assert name_keys("Müller", "").surname_keys & name_keys("Mueller", "").surname_keys
    assert name_keys("Łukasiewicz", "").surname_keys & name_keys("Lukasiewicz", "").surname_keys


def test_name_keys_carry_the_birth_year_and_its_neighbours():
    keys = year_keys(frozenset({"KOVALSKA"}), 1990, spread=1)

    assert keys == ["KOVALSKA|1989", "KOVALSKA|1990", "KOVALSKA|1991"]


def test_a_swapped_day_and_month_is_searched_too():
    query = query_for(Person(surnames="Kowalska", birth_date="1990-04-02"))

    assert (1990, 4, 2) in query.date_clauses and (1990, 2, 4) in query.date_clauses


def test_two_spellings_of_one_new_person_queue_on_the_same_creation_lock():
    assert creation_lock_key("1990-04-02") == creation_lock_key("1990-04-02")
    assert creation_lock_key("1990-04-02") != creation_lock_key("1990-04-03")


def test_a_claimed_number_stands_only_when_the_scores_pick_that_person():
    claimed = entry(7)

    assert check_claim(SamePerson("7", 35.0, ()), claimed=claimed) == SamePerson("7", 35.0, ())
    assert check_claim(SamePerson("8", 35.0, ()), claimed=claimed) == NeedsReview(
        "claimed_ssin_differs", ("8", "7")
    )


def test_a_claimed_number_gets_one_answer_whether_it_is_registered_or_not():
    registered = check_claim(NewPerson(), claimed=entry(7))
    unknown = check_claim(NewPerson(), claimed=None)

    assert registered.reason == unknown.reason == "claimed_ssin_not_confirmed"


def test_the_registry_completes_only_what_the_request_lacked():
    known = entry(birth_place="Kraków", birth_country="PL", birth_date="1990-04-02", sex="female")
    request = Person(
        surnames="Kowalska",
        given_names="Anna",
        birth_date="1990",
        birth_country="PL",
        sex="unknown",
    )

    assert completed_fields(request, known) == {
        "birth_place": "Kraków",
        "birth_date": "1990-04-02",
        "sex": "female",
    }
