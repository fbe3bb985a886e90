"""Fellegi–Sunter scoring of a request against registry candidates.

Each field's agreement level carries m = P(level | same person) and u = P(level | two random
people); its weight is log2(m/u) and the candidate's weight is the sum (fields assumed
independent, as Fellegi–Sunter does). A missing value weighs 0: absence is no evidence.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from matching.domain import compare
from matching.domain.dates import date_agreement
from matching.domain.levels import Level
from matching.domain.normalise import NormalisedName, core_tokens
from matching.domain.person import Person

Frequency = Callable[[str], float]
"""Relative frequency of a surname token in the registry (0..1)."""

L = Level
MODEL: dict[str, dict[Level, tuple[float, float]]] = {
    "surname": {
        L.EXACT: (0.88, 0.002),
        L.EQUIVALENT: (0.06, 0.002),
        L.SUBSET: (0.05, 0.002),
        L.SIMILAR: (0.04, 0.004),
        L.DISAGREE: (0.05, 0.99),
    },
    "given_names": {
        L.EXACT: (0.82, 0.008),
        L.EQUIVALENT: (0.06, 0.002),
        L.SUBSET: (0.06, 0.004),
        L.ONE_OF_SEVERAL: (0.05, 0.01),
        L.SIMILAR: (0.04, 0.01),
        L.DISAGREE: (0.02, 0.976),
    },
    "name_order": {L.SWAPPED: (0.03, 0.06)},
    "birth_date": {
        L.EXACT: (0.88, 0.0001),
        L.PARTIAL_COMPATIBLE: (0.03, 0.015),
        L.DAY_MONTH_SWAPPED: (0.02, 0.0001),
        L.ONE_DIGIT_OFF: (0.03, 0.0015),
        L.YEAR_ONLY: (0.01, 0.02),
        L.DISAGREE: (0.01, 0.97),
    },
    "sex": {L.EXACT: (0.97, 0.5), L.DISAGREE: (0.01, 0.5)},
    "birth_place": {L.EXACT: (0.70, 0.02), L.SIMILAR: (0.12, 0.01), L.DISAGREE: (0.18, 0.97)},
    "birth_country": {L.EXACT: (0.95, 0.10), L.DISAGREE: (0.05, 0.90)},
    "nationality": {L.EXACT: (0.90, 0.12), L.DISAGREE: (0.10, 0.88)},
    "document": {
        L.EXACT: (0.30, 1e-7),
        L.ONE_DIGIT_OFF: (0.02, 1e-5),
        L.DIFFERENT_NUMBER: (0.60, 0.70),
    },
}
# A frequency below one in 100,000 is mostly noise in a small registry; capping u keeps
# one rare surname from outweighing a birth date.
_RAREST_U, _COMMONEST_U = 1e-5, 0.5
_FREQUENCY_LEVELS = frozenset({Level.EXACT, Level.EQUIVALENT})
_CODE_FIELDS = ("sex", "birth_country", "nationality")


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

    def level(self, field: str) -> Level:
        """The level recorded for `field`, MISSING when it was not compared."""
        return next((a.level for a in self.agreements if a.field == field), Level.MISSING)


def weight(field: str, level: Level, *, u: float | None = None) -> float:
    """log2(m/u) for a field's level; 0 for missing or unmodelled levels."""
    m, default_u = MODEL[field].get(level, (1.0, 1.0))
    return round(math.log2(m / (default_u if u is None else u)), 2)


def score(
    request: Person, candidate: Person, *, candidate_id: str, frequency: Frequency | None = None
) -> Scored:
    """Compare every field and sum the Fellegi–Sunter weights."""
    names = compare.name_agreement(request, candidate)
    surname_u = None
    if names.surname in _FREQUENCY_LEVELS:
        surname_u = _surname_u(names.matched_surname, frequency)
    place = compare.place_agreement(request.birth_place, candidate.birth_place)
    agreements = [
        FieldAgreement("surname", names.surname, weight("surname", names.surname, u=surname_u)),
        _agreement("given_names", names.given_names),
        _agreement("birth_date", date_agreement(request.birth_date, candidate.birth_date)),
        _agreement("birth_place", place),
        *(_code_agreement(field, request, candidate) for field in _CODE_FIELDS),
        _agreement("document", compare.document_agreement(request, candidate)),
    ]
    if names.swapped:
        agreements.append(_agreement("name_order", Level.SWAPPED))
    total = round(sum(a.weight for a in agreements), 2)
    return Scored(candidate_id=candidate_id, weight=total, agreements=tuple(agreements))


def score_all(
    request: Person, candidates: Iterable[tuple[str, Person]], *, frequency: Frequency | None = None
) -> tuple[Scored, ...]:
    """Score every (candidate_id, person) pair, best first."""
    scored = (
        score(request, person, candidate_id=cid, frequency=frequency) for cid, person in candidates
    )
    return tuple(sorted(scored, key=lambda s: s.weight, reverse=True))


def _agreement(field: str, level: Level) -> FieldAgreement:
    """A field agreement weighed with the model's fixed m and u."""
    return FieldAgreement(field, level, weight(field, level))


def _pair(request: Person, candidate: Person, field: str) -> tuple[str | None, str | None]:
    """The request's and the candidate's value of one field."""
    return getattr(request, field), getattr(candidate, field)


def _code_agreement(field: str, request: Person, candidate: Person) -> FieldAgreement:
    """A coded field (sex, country, nationality) compared for equality."""
    level = compare.code_agreement(*_pair(request, candidate, field))
    return _agreement(field, level)


def _surname_u(surname: NormalisedName, frequency: Frequency | None) -> float | None:
    """Term-frequency u: chance that two random people share this surname."""
    if frequency is None:
        return None
    # Compound surnames: tokens taken as independent, so GARCIA LOPEZ is rarer than GARCIA.
    u = math.prod(frequency(token) for token in core_tokens(surname))
    return min(max(u, _RAREST_U), _COMMONEST_U)
