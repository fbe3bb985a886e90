"""How employers type a person the registry knows: the corruption model of the labelled set.

Each function takes a random source and a `Record` and returns the record as one employer might
send it. They are written here, apart from the matcher, from the issue's list: one typo (insert,
delete, substitute, transpose) in a name, two typos, names swapped, a given name missing or
added, a married surname replacing the birth surname, transliteration variants, day/month
swapped, one digit of the date wrong, year ±1, partial date, a moved address, a renewed document.
"""

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from matching.tools.synth.addresses import residence
from matching.tools.synth.names import POPULATIONS

BY_CODE = {p.code: p for p in POPULATIONS}


@dataclass(frozen=True)
class Record:
    """One person as a request may hold them (every field optional but the surname)."""

    surnames: str
    given_names: str
    sex: str
    birth_date: str | None
    birth_place: str | None
    birth_country: str | None
    nationality: str | None
    document_type: str | None
    document_number: str | None
    document_country: str | None
    street: str | None
    number: str | None
    postal_code: str | None
    city: str | None
    country: str


_LETTERS = "abcdefghijklmnoprstuvz"


def typo(rng: random.Random, text: str) -> str:
    """One keying error inside a word: a letter inserted, dropped, replaced, or two swapped."""
    spots = [i for i in range(1, len(text)) if text[i].isalpha() and text[i - 1].isalpha()]
    if not spots:
        return text
    i, kind = rng.choice(spots), rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice(_LETTERS) + text[i:]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        letter = rng.choice([c for c in _LETTERS if c != text[i].lower()])
        return text[:i] + letter + text[i + 1 :]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _one_typo(rng: random.Random, r: Record) -> Record:
    if rng.random() < 0.5 or not r.given_names:
        return replace(r, surnames=typo(rng, r.surnames))
    return replace(r, given_names=typo(rng, r.given_names))


def _two_typos(rng: random.Random, r: Record) -> Record:
    return _one_typo(rng, _one_typo(rng, r))


def _swap_names(rng: random.Random, r: Record) -> Record:
    return replace(r, surnames=r.given_names or r.surnames, given_names=r.surnames)


def _given_missing(rng: random.Random, r: Record) -> Record:
    names = r.given_names.split()
    if len(names) < 2:
        return r
    names.pop(rng.randrange(len(names)))
    return replace(r, given_names=" ".join(names))


def _given_added(rng: random.Random, r: Record) -> Record:
    pop = BY_CODE.get(r.nationality or r.birth_country or "", POPULATIONS[0])
    pool = [n for n in (pop.male if r.sex == "male" else pop.female) if n not in r.given_names]
    return replace(r, given_names=f"{r.given_names} {rng.choice(pool)}".strip()) if pool else r


def _married(rng: random.Random, r: Record) -> Record:
    """A married surname in place of the birth surname (or joined to it, as in Belgium)."""
    pop = BY_CODE.get(r.nationality or r.birth_country or "", POPULATIONS[0])
    husband = rng.choice([s for s in pop.surnames if s != r.surnames]).replace("_", " ")
    for ending, female in (pop.female_endings or {}).items():
        if husband.endswith(ending):
            husband = husband[: -len(ending)] + female
    joined = rng.random() < 0.25
    return replace(r, surnames=f"{husband}-{r.surnames}" if joined else husband)


# Latin spellings of one Cyrillic (or accented) name under the schemes people actually meet:
# German and French renderings of Ukrainian and Russian, the scholarly one with háčeks, and
# accents dropped or expanded by a keyboard or a clerk.
_SCHEMES: dict[str, dict[str, str]] = {
    "german": {
        "shch": "schtsch",
        "sh": "sch",
        "ch": "tsch",
        "zh": "sch",
        "kh": "ch",
        "ts": "z",
        "v": "w",
        "ya": "ja",
        "yu": "ju",
        "ia": "ja",
        "iu": "ju",
        "ye": "je",
        "ii": "ij",
        "y": "j",
    },
    "french": {
        "shch": "chtch",
        "sh": "ch",
        "ch": "tch",
        "zh": "j",
        "kh": "kh",
        "u": "ou",
        "ia": "ia",
        "ii": "i",
        "y": "i",
    },
    "scholarly": {
        "shch": "šč",
        "sh": "š",
        "ch": "č",
        "zh": "ž",
        "kh": "ch",
        "ts": "c",
        "ya": "ja",
        "yu": "ju",
        "ia": "ja",
        "iu": "ju",
        "ii": "ij",
        "y": "j",
    },
    "popular": {"ii": "iy", "ia": "ya", "iu": "yu", "kh": "h", "i": "y"},
    "umlaut": {"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"},
    "keyboard": {
        "ł": "l",
        "ş": "s",
        "ș": "s",
        "ț": "t",
        "ğ": "g",
        "ı": "i",
        "ç": "c",
        "ã": "a",
        "ñ": "n",
    },
    "turkish_german": {"ş": "sch", "ç": "tsch", "ı": "i", "ğ": "g", "y": "j", "z": "s"},
    "arabic": {"ou": "u", "ss": "s", "aa": "a", "ch": "sh", "el ": "al-", "mohamed": "mohammed"},
}
_CYRILLIC_ORIGIN = {"UA", "RU", "BG"}


def transliterate(rng: random.Random, text: str, *, country: str | None) -> str:
    """The name under another scheme than the registry's (its ICAO form, or the native one)."""
    if country in _CYRILLIC_ORIGIN:
        scheme = rng.choice(("german", "french", "scholarly", "popular"))
    elif country == "TR":
        scheme = rng.choice(("keyboard", "turkish_german"))
    elif country == "MA":
        scheme = "arabic"
    else:
        scheme = rng.choice(("umlaut", "keyboard"))
    table = _SCHEMES[scheme]
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    lowered = pattern.sub(lambda m: table[m.group(0)], text.lower())
    if lowered == text.lower():
        lowered = _strip_accents(lowered)
    return _capitalised(lowered)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _capitalised(text: str) -> str:
    return re.sub(r"(^|[\s\-'])(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def _transliterated(rng: random.Random, r: Record) -> Record:
    country = r.nationality or r.birth_country
    return replace(
        r,
        surnames=transliterate(rng, r.surnames, country=country),
        given_names=transliterate(rng, r.given_names, country=country),
    )


def _full(r: Record) -> tuple[int, int, int] | None:
    d = r.birth_date or ""
    return (int(d[:4]), int(d[5:7]), int(d[8:10])) if len(d) == 10 else None


def _day_month_swapped(rng: random.Random, r: Record) -> Record:
    full = _full(r)
    if not full or full[2] > 12 or full[1] == full[2]:
        return r
    return replace(r, birth_date=f"{full[0]:04d}-{full[2]:02d}-{full[1]:02d}")


def _date_digit(rng: random.Random, r: Record) -> Record:
    """One digit of the month or day mistyped, keeping a calendar date."""
    full = _full(r)
    if not full:
        return r
    for _ in range(20):
        i = rng.choice((6, 8, 9))  # month units, day tens, day units of YYYY-MM-DD
        digits = list(r.birth_date or "")
        digits[i] = str(rng.choice([d for d in range(10) if str(d) != digits[i]]))
        candidate = "".join(digits)
        if _is_date(candidate):
            return replace(r, birth_date=candidate)
    return r


def _is_date(text: str) -> bool:
    from datetime import date  # noqa: PLC0415

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _year_slip(rng: random.Random, r: Record) -> Record:
    d = r.birth_date
    if not d:
        return r
    year = int(d[:4]) + rng.choice((-1, 1))
    shifted = f"{year:04d}{d[4:]}"
    return replace(r, birth_date=shifted if len(d) < 10 or _is_date(shifted) else d)


def _partial_date(rng: random.Random, r: Record) -> Record:
    d = r.birth_date
    return replace(r, birth_date=d[: rng.choice((4, 7))]) if d and len(d) == 10 else r


def _moved(rng: random.Random, r: Record) -> Record:
    """A new address: mostly in the same city, sometimes another city of the same country."""
    pop = BY_CODE.get(r.country, POPULATIONS[0])
    rank = rng.randrange(len(pop.places))
    city = r.city if rng.random() < 0.6 else pop.places[rank].replace("_", " ")
    home = residence(r.country, city or "", rank, (rng.random(), rng.random(), rng.random()))
    return replace(r, street=home.street, number=home.number, postal_code=home.postal_code)


def _renewed(rng: random.Random, r: Record) -> Record:
    if not r.document_number:
        return r
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
    return replace(r, document_number=f"{letters}{rng.randrange(10**7):07d}")


Corruption = Callable[[random.Random, Record], Record]
CORRUPTIONS: dict[str, Corruption] = {
    "one_typo": _one_typo,
    "two_typos": _two_typos,
    "names_swapped": _swap_names,
    "given_name_missing": _given_missing,
    "given_name_added": _given_added,
    "married_surname": _married,
    "transliteration": _transliterated,
    "day_month_swapped": _day_month_swapped,
    "date_digit_wrong": _date_digit,
    "year_off_by_one": _year_slip,
    "partial_date": _partial_date,
    "moved_address": _moved,
    "renewed_document": _renewed,
}
# How many corruptions a case draws: "several", most cases one or two.
HOW_MANY = ((0, 0.12), (1, 0.38), (2, 0.34), (3, 0.16))


def corrupt(rng: random.Random, record: Record) -> tuple[Record, tuple[str, ...]]:
    """The record with 0-3 distinct corruptions applied; their names."""
    k = rng.choices([n for n, _ in HOW_MANY], weights=[w for _, w in HOW_MANY])[0]
    names = [n for n in rng.sample(sorted(CORRUPTIONS), k=k)]
    if "married_surname" in names and record.sex != "female":
        names.remove("married_surname")
    applied = []
    for name in names:
        changed = CORRUPTIONS[name](rng, record)
        if changed != record:
            applied.append(name)
        record = changed
    return record, tuple(applied)
