"""BIS numbers: check digits, the order of date slots to try, serial ranges; pure, no I/O.

Our reading of DOMAIN.md (Royal Decree of 8 Feb 1991), written down because the text leaves room:

- The BIS month offset applies to every slot, the fallbacks included: with sex known the month part
  is MM+40, with sex unknown MM+20, so an unknown or exhausted month `00` is written `40` or `20`.
- Slots for a known birth year, in order: the real slot `YY(MM+o)DD` (unknown parts `00`); then
  the fallback `YY(o)00` ("month and day 0000"); then `YY(o)01`, `YY(o)02`, ... up to `YY(o)99`
  ("and so on": under month `00` the day field is only a counter extension; stdnum accepts any).
  A year-only date starts directly at `YY(o)00`; a year-month date starts at `YY(MM+o)00`.
- A fully unknown date is the fictitious `00(o)01`. The century is not stored, and stdnum reads both
  1900/00/01 and 2000/00/01 as "unknown", so we take 1900 first, then 2000, then `00(o)02` in 1900,
  2000, and so on. Only known leading parts count: a date with no year is fully unknown, a day
  without a month is dropped (month `00` cannot carry a day).
- Serials: men odd 001..997, women even 002..998 (499 each, separate counters on the same slot).
  Sex unknown (+20 month): parity means nothing, so 001..998 in steps of 1 (998 per slot); the +20
  slots never meet the +40 ones, so this cannot collide with a man's or a woman's number.
- The counter belongs to the birth date, century included: a man born 1925-03-04 and one born
  2025-03-04 share the prefix `254304` but have separate counters and different check digits.
- Slots are tried in ascending (day, century) order within a chain, so concurrent allocations take
  counter row locks in one global order and cannot deadlock each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from stdnum.be import bis

from contracts import Sex
from contracts import parse_birth_date as parse_partial_date

FIRST_YEAR, LAST_YEAR = 1900, 2099
LAST_FALLBACK_DAY = 99


class BisSlotsExhausted(RuntimeError):
    """Every slot for this birth date and sex has run out of serials."""


@dataclass(frozen=True)
class BirthDate:
    """A birth date of which only the leading parts may be known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class Slot:
    """The six date digits of a number, with the century and sex class that own their counter."""

    prefix: str
    century: int
    sex: Sex


@dataclass(frozen=True)
class SerialRange:
    """The serials one sex class may take within one slot."""

    first: int
    step: int
    last: int


SERIALS: dict[Sex, SerialRange] = {
    "male": SerialRange(first=1, step=2, last=997),
    "female": SerialRange(first=2, step=2, last=998),
    "unknown": SerialRange(first=1, step=1, last=998),
}


def check_digits(base9: str, *, born_2000_or_later: bool) -> str:
    """The two check digits of YYMMDDSSS: 97 - n mod 97, on 2YYMMDDSSS for births from 2000."""
    if not re.fullmatch(r"\d{9}", base9):
        raise ValueError("base must be nine digits")
    n = int(("2" if born_2000_or_later else "") + base9)
    return f"{97 - n % 97:02d}"


def parse_birth_date(value: str | date | BirthDate | None) -> BirthDate:
    """Read YYYY, YYYY-MM or YYYY-MM-DD (00 parts unknown) into the known leading parts."""
    if value is None or isinstance(value, BirthDate):
        return _leading_parts(value or BirthDate())
    known = parse_partial_date(value)  # contracts' one reading of a partial date
    if known is None:
        return BirthDate()
    return _leading_parts(BirthDate(known.year, known.month, known.day))


def _leading_parts(birth: BirthDate) -> BirthDate:
    """Keep only the known prefix of (year, month, day), checking that it names a real date."""
    if birth.year is None:
        return BirthDate()
    if not FIRST_YEAR <= birth.year <= LAST_YEAR:
        raise ValueError(f"birth year must be within {FIRST_YEAR}..{LAST_YEAR}")
    if birth.month is None:
        return BirthDate(birth.year)
    date(birth.year, birth.month, birth.day or 1)  # ValueError on a month or day out of range
    return birth


def month_offset(sex: Sex) -> int:
    """+40 when the sex is known at allocation, +20 when it is not."""
    return 20 if sex == "unknown" else 40


def date_slots(birth_date: str | date | BirthDate | None, *, sex: Sex) -> Iterator[Slot]:
    """The slots to try in order: the real date, then the fallbacks for when one is exhausted."""
    birth, offset = parse_birth_date(birth_date), month_offset(sex)
    if birth.year is None:
        for day in range(1, LAST_FALLBACK_DAY + 1):
            for century in (1900, 2000):
                yield Slot(f"00{offset:02d}{day:02d}", century, sex)
        return
    yy, century = f"{birth.year % 100:02d}", birth.year // 100 * 100
    if birth.month is not None:
        yield Slot(f"{yy}{birth.month + offset:02d}{birth.day or 0:02d}", century, sex)
    for day in range(0, LAST_FALLBACK_DAY + 1):
        yield Slot(f"{yy}{offset:02d}{day:02d}", century, sex)


def compose(prefix: str, *, serial: int, century: int) -> str:
    """The 11-digit number for a slot prefix and serial; refuses anything stdnum would reject."""
    if not 1 <= serial <= 998:
        raise ValueError("serial must be within 001..998")
    base9 = f"{prefix}{serial:03d}"
    number = base9 + check_digits(base9, born_2000_or_later=century == 2000)
    bis.validate(number)  # the last word: DOMAIN.md demands every number pass it
    return number


def compose_in(slot: Slot, *, serial: int) -> str:
    """The number for `serial` in `slot`, after checking the serial belongs to the slot's sex."""
    serials = SERIALS[slot.sex]
    if not serials.first <= serial <= serials.last or (serial - serials.first) % serials.step:
        raise ValueError(f"serial {serial} is not one a {slot.sex} slot hands out")
    return compose(slot.prefix, serial=serial, century=slot.century)
