"""Agreement levels shared by every field comparison."""

from enum import StrEnum


class Level(StrEnum):
    """How two values of one field agree, from strongest to weakest evidence."""

    EXACT = "exact"
    EQUIVALENT = "equivalent"
    SUBSET = "subset"
    SIMILAR = "similar"
    SWAPPED = "swapped"
    PARTIAL_COMPATIBLE = "partial_compatible"
    DAY_MONTH_SWAPPED = "day_month_swapped"
    ONE_DIGIT_OFF = "one_digit_off"
    YEAR_ONLY = "year_only"
    DIFFERENT_NUMBER = "different_number"
    DISAGREE = "disagree"
    MISSING = "missing"
