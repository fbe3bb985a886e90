"""Persons the unit tests build: a request or a registry entry, the fields a test cares about
given, the rest filled in."""

from matching.domain import Person
from matching.domain.address import Address

# A home in Gdańsk that a request and a registry entry may share.
HOME = Address(street="ul. Długa", number="12", postal_code="80-831", city="Gdańsk", country="PL")


def kowalska(given: str, **fields) -> Person:
    """A Kowalska born 1990-04-02 in Kraków with the given names asked for: sisters and twins."""
    base = dict(
        surnames="Kowalska",
        given_names=given,
        sex="female",
        birth_date="1990-04-02",
        birth_place="Kraków",
        birth_country="PL",
        nationality="PL",
    )
    return Person(**(base | fields))


def person(surnames: str = "Kowalski", given_names: str = "Jan", **fields) -> Person:
    """Jan Kowalski, born 1985-07-14 in Poznań, unless the test says otherwise."""
    base = dict(
        sex="male",
        birth_date="1985-07-14",
        birth_place="Poznań",
        birth_country="PL",
        nationality="PL",
    )
    return Person(surnames=surnames, given_names=given_names, **(base | fields))
