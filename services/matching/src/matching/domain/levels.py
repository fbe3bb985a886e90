"""Agreement levels shared by every field comparison."""

from enum import StrEnum


class Level(StrEnum):
    """How two values of one field agree, from strongest to weakest evidence."""

    EXACT = "exact"
    EQUIVALENT = "equivalent"
    SUBSET = "subset"
    # Given names only: the shorter side has one given name, found among the other's several.
    ONE_OF_SEVERAL = "one_of_several"
    # Given names only: as ONE_OF_SEVERAL, but the one name is the first of the other side's
    # (ANNA / ANNA MARIA): a middle name dropped or added, not a sister's name found in the list.
    FIRST_OF_SEVERAL = "first_of_several"
    # Names: one edit from the other side's name, and the differing spelling is itself no name
    # the registry knows (KATARZYMA), so a typo rather than a sister called otherwise (MARTA).
    TYPO = "typo"
    SIMILAR = "similar"
    SWAPPED = "swapped"
    # Names: two edits apart, or a Jaro-Winkler between 0.85 and 0.92 (long names only).
    FUZZY = "fuzzy"
    # Birth dates: the parts both know agree, to the month / to the year only.
    MONTH_COMPATIBLE = "month_compatible"
    PARTIAL_COMPATIBLE = "partial_compatible"
    DAY_MONTH_SWAPPED = "day_month_swapped"
    ONE_DIGIT_OFF = "one_digit_off"
    YEAR_OFF_BY_ONE = "year_off_by_one"
    YEAR_ONLY = "year_only"
    # Addresses: same street (another number), same postal code or city (another street).
    SAME_STREET = "same_street"
    SAME_AREA = "same_area"
    DIFFERENT_NUMBER = "different_number"
    DISAGREE = "disagree"
    MISSING = "missing"
