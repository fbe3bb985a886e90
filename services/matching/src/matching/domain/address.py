"""Residence addresses compared: same home, same street, same area, or elsewhere. Pure.

People move, so a different address says little; families and flatmates share one, so the same
address says less than its rarity suggests. Scoring therefore gives the address a moderate
weight (capped in `scoring`), and the given-name rules still decide between relatives.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from contracts.names import fold
from matching.domain.levels import Level

# Words that say what kind of street it is, in the languages of the registry's addresses:
# "Rue des Lilas", "Lilasstraat", "ul. Lilas" and "Strada Lilas" are one street name, LILAS.
STREET_WORDS = frozenset(
    [
        "rue",
        "avenue",
        "av",
        "boulevard",
        "bd",
        "place",
        "chaussee",
        "chemin",
        "allee",
        "impasse",
        "quai",
        "square",
        "straat",
        "str",
        "laan",
        "lei",
        "steenweg",
        "weg",
        "plein",
        "dreef",
        "ul",
        "ulica",
        "al",
        "aleja",
        "os",
        "osiedle",
        "plac",
        "strada",
        "bulevardul",
        "bd",
        "calea",
        "piata",
        "sos",
        "rua",
        "avenida",
        "travessa",
        "largo",
        "praca",
        "via",
        "viale",
        "piazza",
        "corso",
        "calle",
        "plaza",
        "paseo",
        "carrera",
        "sokak",
        "sokagi",
        "caddesi",
        "cad",
        "mahallesi",
        "mah",
        "derb",
        "duong",
        "pho",
        "vul",
        "vulytsia",
        "prosp",
        "prospekt",
        "ulitsa",
        "pr",
        "bul",
        "des",
        "du",
        "de",
        "la",
        "le",
        "les",
        "der",
        "den",
        "het",
        "van",
        "da",
        "das",
        "do",
        "dos",
        "del",
        "di",
    ]
)
_SUFFIXES = ("straat", "laan", "weg", "plein", "strasse")
_SIMILAR_STREET = 0.92


@dataclass(frozen=True)
class Address:
    """One address as a request or the registry holds it (every part may be absent)."""

    street: str | None = None
    number: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


@lru_cache(maxsize=100_000)
def street_key(street: str | None) -> str:
    """The street's own name, folded, without the words that say what kind of street it is."""
    words = [w for w in fold(street).split() if w not in STREET_WORDS and not w.isdigit()]
    joined = "".join(words)
    for suffix in _SUFFIXES:
        if joined.endswith(suffix) and len(joined) > len(suffix) + 2:
            return joined[: -len(suffix)].upper()
    return joined.upper()


def house_number(number: str | None) -> str:
    """The house number's digits and letter (12A), without box or floor."""
    found = re.match(r"\s*(\d+)\s*([A-Za-z])?\b", number or "")
    return (found.group(1) + (found.group(2) or "").upper()) if found else ""


def postal_key(code: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def address_agreement(a: Address, b: Address) -> Level:
    """Same home, same street (another number), same area (postal code or city), or elsewhere."""
    if not (a.street or a.postal_code or a.city) or not (b.street or b.postal_code or b.city):
        return Level.MISSING
    if a.country and b.country and a.country.upper() != b.country.upper():
        return Level.DISAGREE
    postal_a, postal_b = postal_key(a.postal_code), postal_key(b.postal_code)
    same_area = (postal_a and postal_a == postal_b) or (
        bool(a.city) and fold(a.city) == fold(b.city)
    )
    if not same_area:
        return Level.DISAGREE
    street_a, street_b = street_key(a.street), street_key(b.street)
    if not street_a or not street_b or not _same_street(street_a, street_b):
        return Level.SAME_AREA
    number_a, number_b = house_number(a.number), house_number(b.number)
    return Level.EXACT if number_a and number_a == number_b else Level.SAME_STREET


def _same_street(a: str, b: str) -> bool:
    return a == b or JaroWinkler.normalized_similarity(a, b) >= _SIMILAR_STREET


_RANK = {level: rank for rank, level in enumerate(Level)}


def best_address_agreement(requested: tuple[Address, ...], known: tuple[Address, ...]) -> Level:
    """The closest agreement between any address of the request and any the registry knows."""
    levels = [address_agreement(a, b) for a in requested for b in known]
    agreeing = [level for level in levels if level is not Level.MISSING]
    if not agreeing:
        return Level.MISSING
    return min(agreeing, key=_RANK.__getitem__)
