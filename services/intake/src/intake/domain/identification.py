"""The minimum identification data (DOMAIN.md): needed before a BIS person may be created."""

from dataclasses import dataclass

from contracts import RequestData

# One of these must be fully present; each item is a fact about the request, named for messages.
ALTERNATIVES: dict[int, tuple[str, ...]] = {
    1: ("name", "birth_date_full", "birth_place", "sex"),
    2: ("name", "birth_date", "foreign_residence"),
    3: ("name", "birth_date", "belgian_contact_address"),
}


@dataclass(frozen=True)
class MidVerdict:
    """Met or not; the alternative met (or the closest one) and what it still lacks."""

    met: bool
    alternative: int
    missing: tuple[str, ...]


def check_minimum_data(data: RequestData) -> MidVerdict:
    """The alternative met, or the closest: fewest items missing, the lower number on a tie."""
    present = present_items(data)
    gaps = {
        number: tuple(item for item in needs if item not in present)
        for number, needs in ALTERNATIVES.items()
    }
    closest = min(gaps, key=lambda number: (len(gaps[number]), number))
    return MidVerdict(met=not gaps[closest], alternative=closest, missing=gaps[closest])


def present_items(data: RequestData) -> set[str]:
    """The identification facts a request holds."""
    person, residence, contact = data.person, data.residence, data.contact_address
    facts = {
        "name": bool(person.surnames and person.surnames.strip()),
        "birth_date": person.birth_date is not None,
        "birth_date_full": person.birth_date is not None and len(person.birth_date) == 10,
        "birth_place": bool(person.birth_place),
        "sex": person.sex in ("male", "female"),
        "foreign_residence": residence.country != "BE",
        # A residence in Belgium reaches the worker as surely as a Belgian contact address.
        "belgian_contact_address": residence.country == "BE"
        or (contact is not None and contact.country == "BE"),
    }
    return {name for name, present in facts.items() if present}
