"""Birth dates as a document gives them: full, year-month or year only (one reading for all).

The text form is ISO 8601 with reduced precision ("1990", "1990-04", "1990-04-02"); a `00` part
means unknown, as the registry writes it. Only the known leading parts count: a day without its
month says nothing (month `00` cannot carry a day), and a date with no year is fully unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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

    @property
    def iso(self) -> str:
        """The shortest ISO 8601 form: 1990, 1990-04 or 1990-04-02."""
        parts = [f"{self.year:04d}", *(f"{p:02d}" for p in (self.month, self.day) if p)]
        return "-".join(parts)

    @property
    def earliest(self) -> date:
        """The first day the date can mean (1 January for a year alone)."""
        return date(self.year, self.month or 1, self.day or 1)


def parse_birth_date(value: str | date | PartialDate | None) -> PartialDate | None:
    """Read "YYYY", "YYYY-MM" or "YYYY-MM-DD" (00 = unknown); None when nothing is known.

    Raises ValueError on anything else, and on a month or day no calendar has (1990-02-30). The
    message never repeats the value: a birth date is personal data.
    """
    if value is None or isinstance(value, PartialDate):
        return _known_prefix(value) if value else None
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    found = _PATTERN.match(value.strip()) if isinstance(value, str) else None
    if not found:
        raise ValueError("a birth date is YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 0 for part in found.groups())
    return _known_prefix(PartialDate(year, month or None, day or None))


def _known_prefix(birth: PartialDate) -> PartialDate | None:
    """Keep the known leading parts, checking that they name a real date."""
    if not birth.year:
        return None
    if birth.month is None:
        return PartialDate(birth.year)
    try:
        date(birth.year, birth.month, birth.day or 1)
    except ValueError:
        raise ValueError("no calendar has this month or day") from None
    return birth
