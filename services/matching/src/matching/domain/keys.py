"""Search keys of names and birth dates: what the registry indexes and requests look up. Pure."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from matching.domain.address import Address, house_number, postal_key, street_key
from matching.domain.dates import PartialDate, parse_birth_date
from matching.domain.normalise import core_tokens, loose, normalise_name, phonetic_keys

# Tokens this short (initials, particles) would put half the registry in one block.
_SHORTEST_TOKEN_KEY = 3


@dataclass(frozen=True)
class NameKeys:
    """The keys one (surnames, given names) pair is filed under."""

    full_name: str  # passport-folded tokens, surnames first: compared by trigram similarity
    surname_keys: frozenset[str]  # loose spellings of the whole surname and of its core tokens
    given_keys: frozenset[str]
    phonetic: frozenset[str]  # metaphone / NYSIIS of the surname's core tokens
    given_phonetic: frozenset[str]
    surname_tokens: tuple[str, ...]  # core tokens, as counted in term frequencies
    given_tokens: tuple[str, ...]


def name_keys(surnames: str | None, given_names: str | None) -> NameKeys:
    """Every key of one name, built from the two fields' keys (each cached on its own)."""
    surname, given = _field_keys(surnames or ""), _field_keys(given_names or "")
    return NameKeys(
        full_name=" ".join(surname[0] + given[0]),
        surname_keys=surname[1],
        given_keys=given[1],
        phonetic=surname[2],
        given_phonetic=given[2],
        surname_tokens=surname[3],
        given_tokens=given[3],
    )


# Registries and requests repeat the same surnames and given names over and over, in new pairs.
FieldKeys = tuple[tuple[str, ...], frozenset[str], frozenset[str], tuple[str, ...]]


@lru_cache(maxsize=200_000)
def _field_keys(text: str) -> FieldKeys:
    """Tokens, loose keys, phonetic keys and core tokens of one name field."""
    name = normalise_name(text)
    return name.tokens, _loose_keys(name), frozenset(phonetic_keys(name)), core_tokens(name)


def _loose_keys(name) -> frozenset[str]:
    """Loose forms of the name's equivalence keys and of each core token long enough to block on."""
    keys = {loose(key) for key in name.keys}
    keys |= {loose(token) for token in core_tokens(name) if len(token) >= _SHORTEST_TOKEN_KEY}
    return frozenset(key for key in keys if key)


def year_keys(keys: frozenset[str], year: int | None, *, spread: int = 0) -> list[str]:
    """KEY|YEAR for every key and every year within `spread` (KEY| when the year is unknown)."""
    years = [""] if year is None else [str(y) for y in range(year - spread, year + spread + 1)]
    return sorted(f"{key}|{y}" for key in keys for y in years)


def date_keys(sounds: Iterable[str], dates: Iterable[tuple[int, int, int]]) -> list[str]:
    """SOUND|YYYYMMDD for every sound key and every full date (migration 0005 fills the same)."""
    days = [f"{y:04d}{m:02d}{d:02d}" for y, m, d in dates]
    return sorted(f"{sound}|{day}" for sound in sounds for day in days)


def birth_parts(birth_date: str | None) -> PartialDate | None:
    """Year, month and day of a (possibly partial) birth date; None when unknown or unreadable."""
    try:
        return parse_birth_date(birth_date)
    except ValueError:
        return None


def creation_lock_key(birth_date: str | None) -> str:
    """The key serialising search-then-create: every request with this birth date queues on it.

    The birth date alone, not surname + date: two spellings of one new person (Müller, Mueller)
    submitted at once must queue too, and requests per birth date are few, so the queue is short.
    """
    parts = birth_parts(birth_date)
    return f"matching:create:{parts.digits if parts else 'unknown'}"


def pair_keys(keys: NameKeys, *, both_orders: bool = False) -> list[str]:
    """SURNAME+GIVEN for every core token pair: the full name whatever the birth year.

    The registry files its own order; a request asks both orders, for swapped names.
    """
    surnames = _blocking_tokens(keys.surname_tokens)
    given = _blocking_tokens(keys.given_tokens)
    pairs = {f"{s}+{g}" for s in surnames for g in given}
    if both_orders:
        pairs |= {f"{g}+{s}" for s in surnames for g in given}
    return sorted(pairs)


def address_keys(addresses: Iterable[Address], tokens: Iterable[str]) -> list[str]:
    """Where a person lives, with a name token: P:postal|number|TOKEN and S:street|number|TOKEN.

    The name token keeps a block of one house small (a block of flats holds dozens of people)
    while a changed surname (marriage) still meets the home through the given name.
    """
    names = _blocking_tokens(tokens)
    keys = set()
    for a in addresses:
        number = house_number(a.number)
        if not number:
            continue
        postal, street = postal_key(a.postal_code), street_key(a.street)
        keys |= {f"P:{postal}|{number}|{t}" for t in names if postal}
        keys |= {f"S:{street}|{number}|{t}" for t in names if street}
    return sorted(keys)


def name_tokens(keys: NameKeys) -> list[str]:
    """The surname and given-name tokens of one name, as address keys pair them."""
    return [*keys.surname_tokens, *keys.given_tokens]


def _blocking_tokens(tokens: Iterable[str]) -> set[str]:
    return {loose(t) for t in tokens if len(t) >= 2}
