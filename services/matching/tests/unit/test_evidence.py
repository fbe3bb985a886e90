"""The evidence issue 10 added: the home, typos, transliteration schemes, date slips, and the
rule that less data never makes a new number more automatic."""

import pytest

from matching.domain import Level, Person, decide, score
from matching.domain.address import Address, address_agreement, street_key
from matching.domain.compare import name_level
from matching.domain.dates import date_agreement
from matching.domain.keys import address_keys, name_keys, pair_keys
from matching.domain.normalise import normalise_name
from matching.domain.scoring import Frequencies

HOME = Address("Rue des Lilas", "12", "1000", "Bruxelles", "BE")


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (Address("Lilasstraat", "12 bus 3", "1000", "Brussel", "BE"), Level.EXACT),
        (Address("rue des lilas", "14", "1000", "Bruxelles", "BE"), Level.SAME_STREET),
        (Address("Avenue Louise", "12", "1000", "Bruxelles", "BE"), Level.SAME_AREA),
        (Address("ul. Lilas", "12", "80-831", "Gdańsk", "PL"), Level.DISAGREE),
        (Address(None, None, None, None, "BE"), Level.MISSING),
    ],
)
def test_addresses_agree_as_home_street_area_or_elsewhere(other, expected):
    assert address_agreement(HOME, other) is expected


def test_a_street_is_its_own_name_whatever_language_says_what_kind_it_is():
    assert street_key("Rue des Lilas") == street_key("Lilasstraat") == street_key("ul. Lilas")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Kyle", "Ykle", Level.SIMILAR),  # one transposition: Jaro-Winkler alone says 0.91
        ("Sam", "Sma", Level.SIMILAR),
        ("Kowalczyk", "Kowlaczky", Level.SIMILAR),
        ("Kowalczyk", "Gowalczuk", Level.FUZZY),  # two edits in a long name
        ("Schewtschenko", "Shevchenko", Level.EQUIVALENT),  # German scheme
        ("Chevtchenko", "Shevchenko", Level.EQUIVALENT),  # French scheme
        ("Ševčenko", "Shevchenko", Level.EQUIVALENT),  # scholarly scheme
        ("Yang", "Jang", Level.SIMILAR),  # not one name in two schemes
    ],
)
def test_typos_and_transliteration_schemes(a, b, expected):
    assert name_level(normalise_name(a), normalise_name(b)) is expected


def test_a_typo_is_a_typo_only_when_its_spelling_is_no_name_the_registry_knows():
    big = 1_000_000
    registry = Person(surnames="Kowalska", given_names="Katarzyna", birth_date="1990-04-02")
    known = Frequencies({("given", "KATARZYNA"): 900, ("given", "MARTA"): 800}, big)

    typo = score(
        Person(surnames="Kowalska", given_names="Katarzyma"),
        registry,
        candidate_id="c",
        frequency=known,
    )
    sister = score(
        Person(surnames="Kowalska", given_names="Marta"),
        Person(surnames="Kowalska", given_names="Maria"),
        candidate_id="c",
        frequency=Frequencies({("given", "MARIA"): 900, ("given", "MARTA"): 800}, big),
    )

    assert typo.level("given_names") is Level.TYPO
    assert sister.level("given_names") is Level.SIMILAR


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1985-03-12", "1986-03-12", Level.YEAR_OFF_BY_ONE),
        ("1985-03", "1985-03-12", Level.MONTH_COMPATIBLE),
        ("1985", "1985-03-12", Level.PARTIAL_COMPATIBLE),
    ],
)
def test_date_slips_have_their_own_levels(a, b, expected):
    assert date_agreement(a, b) is expected


def test_a_full_name_is_keyed_whatever_its_birth_year_and_the_home_with_a_name_token():
    keys = name_keys("Kowalska", "Anna Maria")

    assert pair_keys(keys) == ["KOVALSKA+ANA", "KOVALSKA+MARIA"]
    assert "ANA+KOVALSKA" in pair_keys(keys, both_orders=True)
    assert address_keys([HOME], ["ANNA"]) == ["P:1000|12|ANA", "S:LILAS|12|ANA"]


SHEVCHENKO = Person(
    surnames="Shevchenko",
    given_names="Olena",
    sex="female",
    birth_date="1985-03-12",
    birth_country="UA",
    nationality="UA",
)


def test_less_data_never_makes_a_new_number_more_automatic():
    """Issue 10: the full date went to review while "1985-03" got a new number at once."""
    full = Person(
        surnames="Schewtschenko",
        given_names="Olena",
        birth_date="1985-03-12",
        nationality="UA",
        has_foreign_residence=True,
    )
    partial = Person(
        surnames="Schewtschenko",
        given_names="Olena",
        birth_date="1985-03",
        nationality="UA",
        has_foreign_residence=True,
    )
    decisions = [
        decide([score(request, SHEVCHENKO, candidate_id="s")], minimum_data_met=True)
        for request in (full, partial)
    ]

    assert [type(d).__name__ for d in decisions] != ["NeedsReview", "NewPerson"]
    assert type(decisions[1]).__name__ == "NeedsReview"


def test_the_home_corroborates_a_match_and_never_excuses_another_given_name():
    registry = Person(
        surnames="Kowalska",
        given_names="Anna",
        sex="female",
        birth_date="1990-04-02",
        addresses=(HOME,),
    )
    same = Person(
        surnames="Kowalska",
        given_names="Anna",
        sex="female",
        birth_date="1990-04-02",
        addresses=(HOME,),
    )
    twin = Person(
        surnames="Kowalska",
        given_names="Ewa",
        sex="female",
        birth_date="1990-04-02",
        addresses=(HOME,),
    )

    matched = decide([score(same, registry, candidate_id="a")], minimum_data_met=True)
    sister = decide([score(twin, registry, candidate_id="a")], minimum_data_met=True)

    assert type(matched).__name__ == "SamePerson"
    assert type(sister).__name__ != "SamePerson"
