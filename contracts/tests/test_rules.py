"""The pure rules several services apply: minimum data, partial dates, names and numbers."""

from datetime import date

import pytest

from contracts import (
    Address,
    Person,
    RequestData,
    facts_of,
    format_ssin,
    minimum_data,
    parse_birth_date,
    sort_name,
    worker_name,
)
from contracts.dates import PartialDate
from contracts.identification import IdentificationFacts


def facts(**fields) -> IdentificationFacts:
    base = {"surnames": "Nowak", "birth_date": "1990-04-02", "has_foreign_residence": True}
    return IdentificationFacts(**(base | fields))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-07-28", PartialDate(1990, 7, 28)),
        ("1990-07", PartialDate(1990, 7)),
        ("1990", PartialDate(1990)),
        ("1990-07-00", PartialDate(1990, 7)),
        ("1990-00-15", PartialDate(1990)),  # a day without its month is dropped
        ("0000-07-28", None),
        (None, None),
        (date(1990, 7, 28), PartialDate(1990, 7, 28)),
    ],
)
def test_a_birth_date_keeps_only_its_known_leading_parts(value, expected):
    assert parse_birth_date(value) == expected


@pytest.mark.parametrize("value", ["1990-13", "1990-02-30", "90-07-28", "x", "1990-7-1"])
def test_a_birth_date_no_calendar_has_is_refused_without_repeating_it(value):
    with pytest.raises(ValueError) as refused:
        parse_birth_date(value)
    assert value not in str(refused.value)


def test_a_partial_date_is_written_back_in_its_shortest_iso_form():
    assert [parse_birth_date(v).iso for v in ("1990", "1990-04", "1990-04-02")] == [
        "1990",
        "1990-04",
        "1990-04-02",
    ]
    assert parse_birth_date("1990-04").earliest == date(1990, 4, 1)


def test_name_full_date_place_and_sex_meet_the_first_alternative():
    verdict = minimum_data(facts(sex="male", birth_place="Kraków", has_foreign_residence=False))
    assert (verdict.met, verdict.alternative) == (True, 1)


@pytest.mark.parametrize(
    ("changes", "met", "alternative", "missing"),
    [
        ({"birth_date": "1990"}, True, 2, ()),
        ({"birth_date": None}, False, 2, ("birth_date",)),
        ({"has_foreign_residence": False}, False, 2, ("foreign_residence",)),
        ({"has_foreign_residence": False, "has_belgian_contact_address": True}, True, 3, ()),
        (
            {"has_foreign_residence": False, "sex": "male", "birth_place": "Gent"},
            True,
            1,
            (),
        ),
        ({"has_foreign_residence": False, "sex": "male"}, False, 1, ("birth_place",)),
        ({"surnames": " ", "given_names": None}, False, 2, ("name",)),
    ],
)
def test_the_closest_alternative_names_what_it_lacks(changes, met, alternative, missing):
    verdict = minimum_data(facts(**changes))
    assert (verdict.met, verdict.alternative, verdict.missing) == (met, alternative, missing)


def test_a_mononymous_person_has_a_name():
    assert "name" not in minimum_data(facts(surnames="", given_names="Sukarno")).missing


def test_a_full_date_is_what_the_first_alternative_asks_for_by_the_same_code_everywhere():
    verdict = minimum_data(facts(birth_date="1990", sex="female", birth_place="Lviv"))
    assert minimum_data(
        facts(birth_date="1990", has_foreign_residence=False, sex="female", birth_place="Lviv")
    ).missing == ("full_birth_date",)
    assert verdict.met


def test_a_request_residence_in_belgium_counts_as_a_belgian_contact_address():
    data = RequestData(
        person=Person(surnames="Peeters", birth_date="1980"),
        residence=Address(city="Gent", country="BE"),
    )
    found = facts_of(data)
    assert (found.has_foreign_residence, found.has_belgian_contact_address) == (False, True)
    assert minimum_data(found).met


def test_the_worker_is_named_given_names_first_and_sorted_surname_first():
    assert worker_name("Kowalska", "Anna  Maria") == "Anna Maria Kowalska"
    assert worker_name("Kowalska", None) == "Kowalska"
    assert sort_name("Kowalska", "Anna") == "Kowalska Anna"


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("90040212345", "90.04.02-123.45"),
        ("90.04.02-123.45", "90.04.02-123.45"),
        ("1234", "1234"),
        (None, ""),
    ],
)
def test_a_number_is_printed_yy_mm_dd_sss_cc(value, printed):
    assert format_ssin(value) == printed
