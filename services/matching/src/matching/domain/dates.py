"""Birth dates as a passport gives them: full, year-month or year only."""

import re
from dataclasses import dataclass
from datetime import date

from matching.domain.levels import Level

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A birth date whose month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        """True when year, month and day are all known."""
        return self.month is not None and self.day is not None

    @property
    def digits(self) -> str:
        """YYYYMMDD with 00 for unknown parts, as the registry writes it."""
        return f"{self.year:04d}{self.month or 0:02d}{self.day or 0:02d}"


BirthDate = str | PartialDate | date | None


def parse_birth_date(value: BirthDate) -> PartialDate | None:
    """Read "YYYY", "YYYY-MM" or "YYYY-MM-DD" (00 = unknown); None when nothing is known."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    found = _PATTERN.match(value.strip())
    if not found:
        raise ValueError(f"not a birth date: {value!r}")
    year, month, day = (int(part) if part else 0 for part in found.groups())
    if year == 0:
        return None
    if month == 0:
        return PartialDate(year)  # a day without its month says nothing we can compare
    if day == 0:
        return PartialDate(year, month)
    date(year, month, day)  # raises ValueError on 1990-02-31
    return PartialDate(year, month, day)


def date_agreement(a: BirthDate, b: BirthDate) -> Level:
    """Exact, partial but consistent, a typical typo (swap, one digit), or disagreement."""
    first, second = parse_birth_date(a), parse_birth_date(b)
    if first is None or second is None:
        return Level.MISSING
    if first.is_full and second.is_full:
        return _full_agreement(first, second)
    return _partial_agreement(first, second)


def _full_agreement(a: PartialDate, b: PartialDate) -> Level:
    """Compare two complete dates."""
    if a == b:
        return Level.EXACT
    if a.year == b.year and (a.month, a.day) == (b.day, b.month):
        return Level.DAY_MONTH_SWAPPED
    # Hamming distance on YYYYMMDD: 1989 vs 1990 is three digits, so not a typo.
    if sum(x != y for x, y in zip(a.digits, b.digits, strict=True)) == 1:
        return Level.ONE_DIGIT_OFF
    if a.year == b.year:
        return Level.YEAR_ONLY
    return Level.DISAGREE


def _partial_agreement(a: PartialDate, b: PartialDate) -> Level:
    """Compare dates of which at least one is partial, on the parts both know."""
    months_agree = a.month is None or b.month is None or a.month == b.month
    days_agree = a.day is None or b.day is None or a.day == b.day
    if a.year == b.year and months_agree and days_agree:
        return Level.PARTIAL_COMPATIBLE
    if a.year == b.year:
        return Level.YEAR_ONLY
    return Level.DISAGREE
