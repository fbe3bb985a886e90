"""Agreement levels shared by every field comparison."""

from enum import StrEnum


class Level(StrEnum):
    """How two values of one field agree, from strongest to weakest evidence."""

    EXACT = "exact"
    EQUIVALENT = "equivalent"
    SUBSET = "subset"
    # Given names only: the shorter side has one given name, found among the other's several.
    ONE_OF_SEVERAL = "one_of_several"
    SIMILAR = "similar"
    SWAPPED = "swapped"
    PARTIAL_COMPATIBLE = "partial_compatible"
    DAY_MONTH_SWAPPED = "day_month_swapped"
    ONE_DIGIT_OFF = "one_digit_off"
    YEAR_ONLY = "year_only"
    DIFFERENT_NUMBER = "different_number"
    DISAGREE = "disagree"
    MISSING = "missing"
