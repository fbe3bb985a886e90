"""Persons the unit tests build: a request or a registry entry, the fields a test cares about
given, the rest filled in."""

from matching.domain import Person


def kowalska(given: str, **fields) -> Person:
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
