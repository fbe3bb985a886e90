"""The minimum identification data (DOMAIN.md): needed before a BIS person may be created.

One rule for intake (which warns the employer before sending) and matching (which decides): both
name the same facts, so a code matching asks for is the code intake's form explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from contracts.dates import parse_birth_date

if TYPE_CHECKING:
    from contracts.events import RequestData

MinimumDataItem = Literal[
    "name",
    "birth_date",
    "full_birth_date",
    "birth_place",
    "sex",
    "foreign_residence",
    "belgian_contact_address",
]
MINIMUM_DATA_ITEMS: tuple[MinimumDataItem, ...] = get_args(MinimumDataItem)

# One of these must be fully present; in the order DOMAIN.md lists them (ties go to the first).
ALTERNATIVES: dict[str, tuple[MinimumDataItem, ...]] = {
    "name_full_birth_date_place_sex": ("name", "full_birth_date", "birth_place", "sex"),
    "name_birth_date_foreign_residence": ("name", "birth_date", "foreign_residence"),
    "name_birth_date_belgian_contact_address": ("name", "birth_date", "belgian_contact_address"),
}


class Identifiable(Protocol):
    """What the rule reads of a person (matching's Person, or `IdentificationFacts`)."""

    surnames: str | None
    given_names: str | None
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    has_foreign_residence: bool
    has_belgian_contact_address: bool


@dataclass(frozen=True, kw_only=True)
class IdentificationFacts:
    """The facts of a request the rule reads, built by `facts_of` from a RequestData."""

    surnames: str | None = None
    given_names: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    birth_place: str | None = None
    has_foreign_residence: bool = False
    has_belgian_contact_address: bool = False


@dataclass(frozen=True)
class MinimumData:
    """Met or not; the alternative met (or the closest one) and what it still lacks."""

    met: bool
    closest: str
    missing: tuple[MinimumDataItem, ...]

    @property
    def alternative(self) -> int:
        """The closest alternative's number as DOMAIN.md lists them (1, 2 or 3)."""
        return list(ALTERNATIVES).index(self.closest) + 1


def present_items(person: Identifiable) -> frozenset[MinimumDataItem]:
    """The identification facts a person holds."""
    try:
        birth = parse_birth_date(person.birth_date)
    except ValueError:
        birth = None
    facts: dict[MinimumDataItem, bool] = {
        # A mononymous person has only one name field: either counts as the name.
        "name": bool((person.surnames or "").strip() or (person.given_names or "").strip()),
        "birth_date": birth is not None,
        "full_birth_date": birth is not None and birth.is_full,
        "birth_place": bool((person.birth_place or "").strip()),
        "sex": person.sex in ("male", "female"),
        "foreign_residence": person.has_foreign_residence,
        # A residence in Belgium reaches the worker as surely as a Belgian contact address.
        "belgian_contact_address": person.has_belgian_contact_address,
    }
    return frozenset(item for item, present in facts.items() if present)


def minimum_data(person: Identifiable) -> MinimumData:
    """The alternative met, or the closest: fewest items missing, the earlier one on a tie."""
    present = present_items(person)
    lacking = {
        name: tuple(item for item in needs if item not in present)
        for name, needs in ALTERNATIVES.items()
    }
    closest = min(lacking, key=lambda name: len(lacking[name]))  # min keeps the first of equals
    return MinimumData(met=not lacking[closest], closest=closest, missing=lacking[closest])


def is_minimum_data_met(person: Identifiable) -> bool:
    """True when the person may be created as a new BIS person."""
    return minimum_data(person).met


def facts_of(data: RequestData) -> IdentificationFacts:
    """A request's identification facts."""
    person, residence, contact = data.person, data.residence, data.contact_address
    return IdentificationFacts(
        surnames=person.surnames,
        given_names=person.given_names,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_place=person.birth_place,
        has_foreign_residence=residence.country != "BE",
        has_belgian_contact_address=residence.country == "BE"
        or (contact is not None and contact.country == "BE"),
    )
