"""Same person, new person, a human must look, or the employer must tell us more."""

from collections.abc import Sequence
from dataclasses import dataclass

from matching.domain.levels import Level
from matching.domain.scoring import FieldAgreement, Scored


@dataclass(frozen=True)
class Thresholds:
    """Weight thresholds in bits (log2 odds), configuration values.

    auto_match 33: a registry of ~1e6 people puts the prior odds that one candidate is the
    requester near 2^-20; 30 bits lift that to only ~1000:1 (on a million persons, 6 wrong
    automatic matches in 2,400), 33 to ~8000:1, and the corroboration rules do the rest. Full name, birth
    date, sex and birth place reach ~34; name and birth date alone (~28.5) do not.
    margin 6: the best must be 64 times likelier than the runner-up.
    review 6: below this nothing is worth an agent's time. Chosen with the shipped model
    (trained_model.json) on the tuning set (seed 101, 100,000 persons, 8,000 cases;
    `python -m bench.matching.train --labelled`): from 12 to 6 the known persons given a new
    number fall from 20 to 3 (0.06%) for a review share of 35% -> 45%. No auto_match from 24 to 33
    gave a wrong automatic match there: on a registry ten times larger, 30 did.

    The weights alone are not the whole rule: Fellegi-Sunter assumes independent fields, and a
    common surname, birth place and country are not independent (a Belgian Wouters born in
    Hasselt). So an automatic match also needs, unless the same document confirms it, the full
    birth date (or its day/month swap) and one more independent field: birth place or
    nationality (`uncorroborated`), and given names that agree beyond one name out of several
    (`given_names_not_confirmed`). The defaults are unchanged: on the quality benchmark these
    two rules, not a higher auto_match, removed the wrong automatic matches (a higher threshold
    only trades recall for them: a stranger sharing surname, date and place with one given name
    weighed 37 bits).
    """

    auto_match: float = 33.0
    margin: float = 6.0
    review: float = 6.0


@dataclass(frozen=True)
class SamePerson:
    """The requester is this registry person."""

    candidate_id: str
    weight: float
    because: tuple[FieldAgreement, ...]


@dataclass(frozen=True)
class NeedsReview:
    """An agent decides among these candidates."""

    reason: str
    candidate_ids: tuple[str, ...]


@dataclass(frozen=True)
class NewPerson:
    """Nobody in the registry is plausibly the requester: create a BIS person."""


@dataclass(frozen=True)
class NeedsInformation:
    """Nobody plausible, and too little data to create anyone."""

    missing: tuple[str, ...]


Decision = SamePerson | NeedsReview | NewPerson | NeedsInformation

_STRONG_NAME = frozenset({Level.EXACT, Level.EQUIVALENT})
_CONFIRMED_GIVEN = frozenset({Level.EXACT, Level.EQUIVALENT, Level.SUBSET, Level.TYPO})
_FULL_DATE = frozenset({Level.EXACT})
_NEAR_DATE = frozenset({Level.DAY_MONTH_SWAPPED, Level.ONE_DIGIT_OFF, Level.YEAR_OFF_BY_ONE})
# Surname and given names that are no weakness (a typo, a fuzzy spelling, one of several are).
_STRONG_SURNAME = frozenset({Level.EXACT, Level.EQUIVALENT, Level.SUBSET})
_STRONG_GIVEN = frozenset({Level.EXACT, Level.EQUIVALENT, Level.SUBSET})
_PARTIAL_DATE = frozenset({Level.MONTH_COMPATIBLE, Level.PARTIAL_COMPATIBLE})
_PLACE_AGREES = frozenset({Level.EXACT, Level.SIMILAR})
_HOME_AGREES = frozenset({Level.EXACT, Level.SAME_STREET})


def decide(
    scored: Sequence[Scored],
    thresholds: Thresholds = Thresholds(),
    *,
    minimum_data_met: bool,
    missing: Sequence[str] = (),
) -> Decision:
    """Auto-match only a clear, conflict-free best candidate; doubt goes to a human."""
    ranked = sorted(scored, key=lambda s: s.weight, reverse=True)
    # A candidate is plausible above the review threshold, or would be with the full birth date
    # a partial one leaves open: less data must never make a new number more automatic.
    plausible = tuple(s for s in ranked if max(s.weight, s.potential) >= thresholds.review)
    if plausible and _is_clear_match(ranked, thresholds):
        best = ranked[0]
        return SamePerson(best.candidate_id, best.weight, because=best.agreements)
    if plausible:
        reason = _review_reason(plausible)
        return NeedsReview(reason=reason, candidate_ids=tuple(s.candidate_id for s in plausible))
    if minimum_data_met:
        return NewPerson()
    return NeedsInformation(missing=tuple(missing))


def hard_conflicts(candidate: Scored) -> tuple[str, ...]:
    """Reasons that forbid an automatic match whatever the total weight."""
    level = candidate.level
    has_document = level("document") is Level.EXACT
    strong_name = level("surname") in _STRONG_NAME and level("given_names") in _CONFIRMED_GIVEN
    # A middle name dropped or added (ANNA for ANNA MARIA) is the person at her own home on her
    # own day: a twin or a sister there has another first name, a namesake another home.
    first_at_home = (
        level("given_names") is Level.FIRST_OF_SEVERAL
        and level("address") is Level.EXACT
        and level("birth_date") is Level.EXACT
    )
    rules = {
        "sex_differs": level("sex") is Level.DISAGREE,
        # A date two keystrokes off is still the person the same document and name show.
        "birth_date_differs": level("birth_date") is Level.DISAGREE
        and not (has_document and strong_name),
        # Twins share surname, birth date and place: only given names tell them apart.
        # (The same document with the exact date is the person: a twin has a passport of
        # her own; two typos in a given name are still hers.)
        "given_names_differ": level("given_names") is Level.DISAGREE
        and not (has_document and level("birth_date") is Level.EXACT),
        # A surname sharing nothing with the registry's is a married (or birth) surname only by
        # hypothesis: given name, date, place and home are what a sister-in-law or a namesake
        # at a family address also shares. Only the same document proves it; else an agent.
        "surname_differs": level("surname") is Level.DISAGREE and not has_document,
        "given_names_not_confirmed": not has_document
        and not first_at_home
        and level("given_names") not in _CONFIRMED_GIVEN | {Level.DISAGREE},
        # A renewal is fine when the name is strong; with a weak name it is another person.
        "other_document_weak_name": level("document") is Level.DIFFERENT_NUMBER and not strong_name,
    }
    return tuple(name for name, broken in rules.items() if broken)


def uncorroborated(candidate: Scored) -> bool:
    """True when name and weight stand alone.

    Fellegi-Sunter adds fields as if independent, but nationality and birth country follow the
    surname's population, and a namesake born the same year shares one date digit in ten. So:
    the same document corroborates alone; otherwise what corroborates is the birth place or the
    home (same street), never the nationality (it follows the surname's population: on a
    million persons, a near date with place and nationality matched strangers), and the more of surname, given
    names and birth date are weak (a typo, a near or partial date), the more it takes:
    - none weak: the birth place or the home, or a home in the same area (postal code or
      city: people move nearby; a namesake born the same day in the same town is the rarity);
    - a weak name: the birth place or the home;
    - a near date (a digit, day and month swapped): the same home; the year ±1 (where
      siblings live): the same home and the birth place;
    - a partial date: the same home and the birth place, or the same home with strong names
      (a namesake relative at one address is born another year: father and son);
    - two weak: the same home and the birth place, or the same home when both are name typos
      beside the exact date (a relative's given name is no typo: `_keying_error`); three: never.
    Swapped names (`name_order`) corroborate only when strong, with the exact date and the same
    home. Families share a home, so the home never corroborates a weak given
    name's twin away: the given-name rules (`hard_conflicts`) still decide between relatives.
    """
    level = candidate.level
    if level("document") is Level.EXACT:
        return False
    place = level("birth_place") in _PLACE_AGREES
    home = level("address") in _HOME_AGREES
    same_home = level("address") is Level.EXACT
    date = level("birth_date")
    if date not in _FULL_DATE | _NEAR_DATE | _PARTIAL_DATE:
        return True
    weak_date = date is not Level.EXACT
    weak_names = (level("surname") not in _STRONG_SURNAME) + (
        level("given_names") not in _STRONG_GIVEN
    )
    weak = weak_names + weak_date
    if level("surname") is Level.FUZZY and not same_home:
        # Two edits from the filed surname: at a million persons a stranger born that day in
        # the same town is that close (a housemate's request matched one); only the home tells.
        return True
    if weak_date and level("given_names") not in _STRONG_GIVEN:
        # A near date with a given name that is not the filed one (a typo, one of several) is
        # the twin or sibling of the filed person, born a year off at the same home.
        return True
    if level("name_order") is Level.SWAPPED:
        # Swapped names are an entry error already, and read crossed they meet strangers too:
        # on a million persons a Piotr Nowak and a Le Thi Lan born on the day in the same town
        # (common names, a place of their population) were matched. Only strong names, the
        # exact date and the same home corroborate a swap (the same document did above).
        return weak > 0 or not same_home
    if weak >= 3:
        return True
    if weak == 2:
        typos = level("surname") is Level.TYPO and level("given_names") is Level.TYPO
        return not (same_home and (place or typos)) or date in _PARTIAL_DATE
    if date in _PARTIAL_DATE:
        return not (same_home and (place or weak_names == 0))
    if date is Level.YEAR_OFF_BY_ONE:
        # Siblings share the home and are born a year or more apart: the place as well.
        return not (place and same_home)
    if weak_date:
        # A namesake born a digit away in the same town (Tazi, Fatima, Oujda, 21 vs 28 July)
        # is common at a million persons: only the same home tells them apart.
        return not same_home
    if weak_names == 0 and level("address") is Level.SAME_AREA:
        return False
    return not (place or home)


# Dates that, beside the very names at the very home, are the person: no father or son (same
# names, same home) is born a year off on the same day, or on the day and month swapped.
_HOME_DATES = _FULL_DATE | _PARTIAL_DATE | {Level.DAY_MONTH_SWAPPED, Level.YEAR_OFF_BY_ONE}


def named_at_home(candidate: Scored) -> bool:
    """The same surname and given names, in their order, at the same home, born that day.

    Families share a home but not given names; the relative who shares both (a father and his
    son) is born decades apart. The weight undersells this: the address is bounded to 6 bits
    because families share one, and common names at a million persons weigh little, so such
    a candidate (~27-31 bits in a sparse request: names, date and home only) went to review.
    A near date that may be the year's digit (one_digit_off: 1958/1988) is not enough.
    """
    level = candidate.level
    return (
        level("name_order") is Level.MISSING
        and level("surname") in _STRONG_NAME
        and level("given_names") in _STRONG_NAME
        and level("address") is Level.EXACT
        and level("birth_date") in _HOME_DATES
    )


def _is_clear_match(ranked: Sequence[Scored], thresholds: Thresholds) -> bool:
    """Best is above auto_match (or named at home), far enough ahead of the runner-up,
    corroborated, conflict-free."""
    best = ranked[0]
    runner_up = ranked[1].weight if len(ranked) > 1 else float("-inf")
    at_home = named_at_home(best) and best.weight >= thresholds.review
    return (
        (best.weight >= thresholds.auto_match or at_home)
        and best.weight - runner_up >= thresholds.margin
        and not hard_conflicts(best)
        and (at_home or not uncorroborated(best))
    )


def _review_reason(plausible: Sequence[Scored]) -> str:
    """Why an agent must look: a contradiction on the best, several candidates, or weak evidence.

    Given names that are merely not confirmed (one of several, a typo, absent) are a weakness,
    not a contradiction: with several candidates (twins Anna Maria and Anna Marta, request
    "Anna") the agent's question is which one.
    """
    conflicts = set(hard_conflicts(plausible[0]))
    if conflicts - {"given_names_not_confirmed"}:
        return "conflicting_evidence"
    if len(plausible) > 1:
        return "ambiguous_candidates"
    return "conflicting_evidence" if conflicts else "uncertain_match"
