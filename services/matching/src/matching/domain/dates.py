"""Birth dates as a passport gives them: full, year-month or year only."""

from datetime import date

from contracts.dates import PartialDate, parse_birth_date
from matching.domain.levels import Level

__all__ = ["BirthDate", "PartialDate", "date_agreement", "parse_birth_date"]

BirthDate = str | PartialDate | date | None


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
    if abs(a.year - b.year) == 1 and (a.month, a.day) == (b.month, b.day):
        return Level.YEAR_OFF_BY_ONE
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
        both_months = a.month is not None and b.month is not None
        return Level.MONTH_COMPATIBLE if both_months else Level.PARTIAL_COMPATIBLE
    if a.year == b.year:
        return Level.YEAR_ONLY
    return Level.DISAGREE
