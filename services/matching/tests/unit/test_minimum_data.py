"""The minimum data rule: which alternative a request meets, or which it is closest to and lacks."""

import pytest

from matching.domain import (
    Person,
    minimum_data,
)

NAME = dict(surnames="Kowalska", given_names="Anna")


@pytest.mark.parametrize(
    ("person", "closest"),
    [
        (
            Person(**NAME, birth_date="1990-04-02", birth_place="Kraków", sex="female"),
            "name_full_birth_date_place_sex",
        ),
        (
            Person(**NAME, birth_date="1990", has_foreign_residence=True),
            "name_birth_date_foreign_residence",
        ),
        (
            Person(**NAME, birth_date="1990-04", has_belgian_contact_address=True),
            "name_birth_date_belgian_contact_address",
        ),
        (
            Person(given_names="Suharto", birth_date="1990", has_foreign_residence=True),
            "name_birth_date_foreign_residence",
        ),
    ],
)
def test_each_alternative_of_the_minimum_data_rule_is_enough(person, closest):
    assert minimum_data(person).met
    assert minimum_data(person).closest == closest
    assert minimum_data(person).missing == ()


@pytest.mark.parametrize(
    ("person", "closest", "missing"),
    [
        (
            Person(**NAME, birth_date="1990", birth_place="Kraków", sex="female"),
            "name_full_birth_date_place_sex",
            ("full_birth_date",),
        ),  # tie: first alternative
        (
            Person(**NAME, birth_date="1990", birth_place="Kraków"),
            "name_birth_date_foreign_residence",
            ("foreign_residence",),
        ),
        (
            Person(**NAME, birth_date="1990-04-02", sex="female"),
            "name_full_birth_date_place_sex",
            ("birth_place",),
        ),
        (
            Person(**NAME, birth_date="1990-04-02", birth_place="Kraków", sex="unknown"),
            "name_full_birth_date_place_sex",
            ("sex",),
        ),
        (
            Person(**NAME, has_belgian_contact_address=True),
            "name_birth_date_belgian_contact_address",
            ("birth_date",),
        ),
        (
            Person(birth_date="1990-04-02", birth_place="Kraków", sex="male"),
            "name_full_birth_date_place_sex",
            ("name",),
        ),
        (
            Person(),
            "name_birth_date_foreign_residence",
            ("name", "birth_date", "foreign_residence"),
        ),
    ],
)
def test_unmet_minimum_data_names_the_closest_alternative_and_what_it_lacks(
    person, closest, missing
):
    result = minimum_data(person)

    assert (result.met, result.closest, result.missing) == (False, closest, missing)
