"""Fellegi–Sunter scoring of a request against registry candidates.

Each field's agreement level carries m = P(level | same person) and u = P(level | two random
people); its weight is log2(m/u) and the candidate's weight is the sum (fields assumed
independent, as Fellegi–Sunter does). A missing value weighs 0: absence is no evidence.
m and u come from a `Model` (domain/model.py): estimated by EM, versioned; the table below is
the hand-set prior the estimate starts from. Surnames, given names and birth places that agree
are weighed with their registry frequency as u (term frequencies).

=============  ==================  ====  ======  ======  =======================================
field          level               m     u       weight  why
=============  ==================  ====  ======  ======  =======================================
surname        exact               0.88  freq*   +8.8*   *u = registry frequency (default .002)
surname        equivalent          0.06  freq*   +4.9*   Müller/Mueller, Иванов/IVANOV variants
surname        subset              0.05  0.002   +4.6    compound surname, one part dropped
surname        similar             0.04  0.004   +3.3    typo
surname        disagree            0.05  0.99    -4.3    marriage changes surnames, m not tiny
given_names    exact               0.82  0.008   +6.7    given names repeat more than surnames
given_names    equivalent          0.06  0.002   +4.9    Дмитрий/DMITRIY, Łukasz/LUKASZ
given_names    subset              0.06  0.004   +3.9    third given name left out (2 of 3 agree)
given_names    one_of_several      0.05  0.01    +2.3    one name vs several: sister, or typed short
given_names    similar             0.04  0.01    +2.0    typo; also Jan/Jana, so kept small
given_names    disagree            0.02  0.976   -5.6    siblings and twins differ here
name_order     swapped             0.03  0.06    -1.0    a swap is a common entry error
birth_date     exact               0.88  0.0001  +13.1   ~1/10,000 working-age birth dates
birth_date     partial_compatible  0.03  0.015   +1.0    ~1/50 share a year; month rarely known
birth_date     day_month_swapped   0.02  0.0001  +7.6    US/EU order confusion; as rare as exact
birth_date     one_digit_off       0.03  0.0015  +4.3    ~15 one-digit neighbours of a date
birth_date     year_only           0.01  0.02    -1.0    same year is barely evidence
birth_date     disagree            0.01  0.97    -6.6    true matches rarely have other dates
sex            exact               0.97  0.5     +1.0
sex            disagree            0.01  0.5     -5.6    entry errors only
birth_place    exact               0.70  0.02    +5.1    workers come from few cities
birth_place    similar             0.12  0.01    +3.6    district, suffix, typo
birth_place    disagree            0.18  0.97    -2.4    exonyms (Warsaw/Warszawa) are common
birth_country  exact               0.95  0.10    +3.2    few countries of origin dominate
birth_country  disagree            0.05  0.90    -4.2    borders moved (USSR, Yugoslavia)
nationality    exact               0.90  0.12    +2.9
nationality    disagree            0.10  0.88    -3.1    dual nationality, naturalisation
document       exact               0.30  1e-7    +21.5   type+number+country: near unique
document       one_digit_off       0.02  1e-5    +11.0   mistyped number
document       different_number    0.60  0.70    -0.2    renewals are common: weak at most
=============  ==================  ====  ======  ======  =======================================
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from matching.domain import compare
from matching.domain.address import best_address_agreement
from matching.domain.dates import date_agreement
from matching.domain.levels import Level
from matching.domain.model import PRIOR, Model
from matching.domain.normalise import NormalisedName, core_tokens, normalise_name
from matching.domain.person import Person

Frequency = Callable[[str], float]
"""Relative frequency of a surname token in the registry (0..1)."""

# A frequency below one in 100,000 is mostly noise in a small registry; capping u keeps
# one rare name from outweighing a birth date.
_RAREST_U, _COMMONEST_U = 1e-5, 0.5
_FREQUENCY_LEVELS = frozenset({Level.EXACT, Level.EQUIVALENT})
_CODE_FIELDS = ("sex", "birth_country", "nationality")
# Date levels that a full date on both sides could still turn into an exact match.
_OPEN_DATE = frozenset({Level.MONTH_COMPATIBLE, Level.PARTIAL_COMPATIBLE})
# Smoothing: the registry is treated as if it held PRIOR_PERSONS more people among whom every
# term has the default frequency, so a registry of a few people does not call its names common.
PRIOR_PERSONS = 10_000
DEFAULT_SHARE = {"surname": 0.002, "given": 0.008, "place": 0.02}
# A spelling seen this often is a name in its own right, not a typo of its neighbour; below
# KNOWN_REGISTRY persons absence says nothing, so every spelling counts as a name.
KNOWN_COUNT, KNOWN_REGISTRY = 3, 50_000


@dataclass(frozen=True)
class Frequencies:
    """How many registry persons carry each term, per field (surname, given, place)."""

    counts: Mapping[tuple[str, str], int]
    total: int

    def share(self, field: str, token: str) -> float:
        """Relative frequency, pulled towards the field's default when data is thin."""
        count = self.counts.get((field, token), 0)
        return (count + DEFAULT_SHARE[field] * PRIOR_PERSONS) / (self.total + PRIOR_PERSONS)

    def known(self, field: str, token: str) -> bool:
        """True when the registry holds this spelling as a name (or is too small to tell)."""
        return self.total < KNOWN_REGISTRY or self.counts.get((field, token), 0) >= KNOWN_COUNT


class _SurnamesOnly(Frequencies):
    """A bare surname frequency function (tests, tools): every spelling counts as known."""

    def __init__(self, frequency: Frequency) -> None:
        object.__setattr__(self, "frequency", frequency)

    def share(self, field: str, token: str) -> float:
        return self.frequency(token) if field == "surname" else DEFAULT_SHARE[field]

    def known(self, field: str, token: str) -> bool:
        return True


@dataclass(frozen=True)
class FieldAgreement:
    """One field's level and the weight it contributed."""

    field: str
    level: Level
    weight: float


@dataclass(frozen=True)
class Scored:
    """A candidate's total weight and the per-field explanation stored with every decision."""

    candidate_id: str
    weight: float
    agreements: tuple[FieldAgreement, ...]
    # The weight with the full birth date a partial one leaves open (= weight otherwise).
    potential: float = float("-inf")

    def level(self, field: str) -> Level:
        """The level recorded for `field`, MISSING when it was not compared."""
        return next((a.level for a in self.agreements if a.field == field), Level.MISSING)


def weight(field: str, level: Level, *, u: float | None = None, model: Model = PRIOR) -> float:
    """log2(m/u) for a field's level; 0 for missing or unmodelled levels."""
    return model.weight(field, level, u=u)


def score(
    request: Person,
    candidate: Person,
    *,
    candidate_id: str,
    frequency: Frequencies | Frequency | None = None,
    model: Model = PRIOR,
) -> Scored:
    """Compare every field and sum the Fellegi–Sunter weights."""
    tf = _SurnamesOnly(frequency) if callable(frequency) else frequency
    names = compare.name_agreement(request, candidate)
    surname = _typo(names.surname, names.requested_surname, names.matched_surname, "surname", tf)
    given = _typo(names.given_names, names.requested_given, names.matched_given, "given", tf)
    place = compare.place_agreement(request.birth_place, candidate.birth_place)
    agreements = [
        _name_weighed(model, "surname", surname, names.matched_surname, tf),
        _name_weighed(model, "given_names", given, names.matched_given, tf),
        _weighed(model, "birth_date", date_agreement(request.birth_date, candidate.birth_date)),
        _weighed(model, "birth_place", place, u=_place_u(place, candidate.birth_place, tf)),
        *(
            _weighed(model, f, compare.code_agreement(getattr(request, f), getattr(candidate, f)))
            for f in _CODE_FIELDS
        ),
        _weighed(model, "document", compare.document_agreement(request, candidate)),
        _weighed(model, "address", best_address_agreement(request.addresses, candidate.addresses)),
    ]
    if names.swapped:
        agreements.append(_weighed(model, "name_order", Level.SWAPPED))
    agreements = _correlated_codes(agreements, place)
    total = round(sum(a.weight for a in agreements), 2)
    date = agreements[2]
    gain = model.best("birth_date") - date.weight if date.level in _OPEN_DATE else 0.0
    return Scored(candidate_id, total, tuple(agreements), potential=round(total + gain, 2))


# Where the birth place agrees, the birth country and nationality that agree say it again: a
# place is in its country, and its people mostly hold its nationality. Fellegi-Sunter would add
# them as independent (~4.4 bits at 1M on top of the place's ~5.3); they keep their level in the
# explanation but weigh nothing then. A disagreeing country still weighs against.
_CORRELATED_WITH_PLACE = frozenset({"birth_country", "nationality"})
_PLACE_AGREES = frozenset({Level.EXACT, Level.SIMILAR})


def _correlated_codes(agreements: list[FieldAgreement], place: Level) -> list[FieldAgreement]:
    if place not in _PLACE_AGREES:
        return agreements
    return [
        FieldAgreement(a.field, a.level, 0.0)
        if a.field in _CORRELATED_WITH_PLACE and a.weight > 0
        else a
        for a in agreements
    ]


def score_all(
    request: Person,
    candidates: Iterable[tuple[str, Person]],
    *,
    frequency: Frequencies | Frequency | None = None,
    model: Model = PRIOR,
) -> tuple[Scored, ...]:
    """Score every (candidate_id, person) pair, best first."""
    scored = (
        score(request, person, candidate_id=cid, frequency=frequency, model=model)
        for cid, person in candidates
    )
    return tuple(sorted(scored, key=lambda s: s.weight, reverse=True))


def _weighed(model: Model, field: str, level: Level, *, u: float | None = None) -> FieldAgreement:
    return FieldAgreement(field, level, model.weight(field, level, u=u))


def _name_weighed(
    model: Model, field: str, level: Level, matched: NormalisedName, tf: Frequencies | None
) -> FieldAgreement:
    """A name's weight, never above the same name spelt exactly (its term frequency as u).

    Random pairs rarely hold a one-letter typo, so its u is tiny and its weight large (+10 to
    +12 bits): a typo of JAN would outweigh JAN itself, which ~1% of people share.
    """
    tf_field = "surname" if field == "surname" else "given"
    found = _weighed(model, field, level, u=_name_u(level, matched, tf_field, tf))
    if tf is None or level in (Level.EXACT, Level.MISSING) or found.weight <= 0:
        return found
    exact = model.weight(field, Level.EXACT, u=_name_u(Level.EXACT, matched, tf_field, tf))
    return found if found.weight <= exact else FieldAgreement(field, level, exact)


def _typo(
    level: Level, requested: str | None, matched: NormalisedName, field: str, tf: Frequencies | None
) -> Level:
    """SIMILAR becomes TYPO when a differing spelling is no name the registry knows."""
    if level is not Level.SIMILAR or tf is None:
        return level
    mine, theirs = set(core_tokens(normalise_name(requested))), set(core_tokens(matched))
    differing = (mine - theirs) | (theirs - mine)
    if field == "given" and not _keying_error(mine - theirs, theirs - mine):
        return level
    return Level.TYPO if any(not tf.known(field, t) for t in differing) else level


# Given names are what tells twins apart, and short ones sit one letter from each other
# (ANNE/INE, ANA/ANNA): a given-name typo is only called one when both spellings are this long
# and start alike; otherwise it stays SIMILAR, which does not confirm the person.
_SHORTEST_GIVEN_TYPO = 4


def _keying_error(mine: set[str], theirs: set[str]) -> bool:
    """True when the differing given-name tokens look like one keying error of each other."""
    if not mine or not theirs or any(len(t) < _SHORTEST_GIVEN_TYPO for t in mine | theirs):
        return False
    return {t[0] for t in mine} == {t[0] for t in theirs}


def _name_u(
    level: Level, matched: NormalisedName, field: str, tf: Frequencies | None
) -> float | None:
    """Term-frequency u: the chance that two random people share this name."""
    if tf is None or level not in _FREQUENCY_LEVELS:
        return None
    # Compound names: tokens taken as independent, so GARCIA LOPEZ is rarer than GARCIA.
    u = math.prod(tf.share(field, token) for token in core_tokens(matched))
    return min(max(u, _RAREST_U), _COMMONEST_U)


def _place_u(level: Level, place: str | None, tf: Frequencies | None) -> float | None:
    if tf is None or level is not Level.EXACT:
        return None
    return min(max(tf.share("place", place_token(place)), _RAREST_U), _COMMONEST_U)


def place_token(place: str | None) -> str:
    """A birth place as term frequencies count it."""
    return normalise_name(place).compact
