"""The Fellegi–Sunter model: m and u per field and level, with the version that names it.

m = P(level | same person), u = P(level | two different people); a level weighs log2(m/u).
The numbers are estimated from data (`domain.estimate`, run by `idpro-matching-estimate`) and
stored with a version; every decision's explanation names the version it was weighed with.
`PRIOR` is the starting point of the estimate and the model of an empty registry: the hand-set
values this service shipped with, plus the levels issue 10 added.
"""

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.domain.levels import Level

Params = Mapping[str, Mapping[Level, tuple[float, float]]]

# Fields whose weight is bounded whatever the data says, and why: a shared address is evidence,
# but families and flatmates share one (so it may never outweigh a given-name disagreement),
# and people move (so another address says little).
BOUNDS: dict[str, tuple[float, float]] = {"address": (-2.0, 6.0)}
# A document of the same type from the same country under another number is what a renewal
# looks like. Its u is counted only among pairs whose documents are comparable, where two
# strangers' numbers always differ (u = 1), so the estimate calls every renewal evidence
# against (-3 bits with em-20261202-f984ba29); the same type and issuing country, which
# strangers rarely share, is not seen by it. Neither for nor against, then.
LEVEL_BOUNDS: dict[tuple[str, Level], tuple[float, float]] = {
    ("document", Level.DIFFERENT_NUMBER): (0.0, 0.0),
}
# m and u are kept inside (FLOOR, 1 - FLOOR): a level never seen among matches is rare, not
# impossible, and must not weigh minus infinity.
FLOOR = 1e-8

L = Level
PRIOR_PARAMS: dict[str, dict[Level, tuple[float, float]]] = {
    "surname": {
        L.EXACT: (0.80, 0.002),
        L.EQUIVALENT: (0.06, 0.002),
        L.SUBSET: (0.04, 0.002),
        L.TYPO: (0.04, 0.0002),
        L.SIMILAR: (0.02, 0.004),
        L.FUZZY: (0.01, 0.004),
        L.DISAGREE: (0.03, 0.985),
    },
    "given_names": {
        L.EXACT: (0.78, 0.008),
        L.EQUIVALENT: (0.05, 0.002),
        L.SUBSET: (0.05, 0.004),
        L.ONE_OF_SEVERAL: (0.04, 0.01),
        L.FIRST_OF_SEVERAL: (0.04, 0.006),
        L.TYPO: (0.03, 0.0005),
        L.SIMILAR: (0.02, 0.01),
        L.FUZZY: (0.01, 0.005),
        L.DISAGREE: (0.02, 0.96),
    },
    "name_order": {L.SWAPPED: (0.05, 0.06)},
    "birth_date": {
        L.EXACT: (0.75, 0.0001),
        L.MONTH_COMPATIBLE: (0.04, 0.0015),
        L.PARTIAL_COMPATIBLE: (0.04, 0.015),
        L.DAY_MONTH_SWAPPED: (0.02, 0.0001),
        L.ONE_DIGIT_OFF: (0.05, 0.0015),
        L.YEAR_OFF_BY_ONE: (0.05, 0.0002),
        L.YEAR_ONLY: (0.01, 0.02),
        L.DISAGREE: (0.02, 0.96),
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
    "address": {
        L.EXACT: (0.55, 0.0005),
        L.SAME_STREET: (0.04, 0.003),
        L.SAME_AREA: (0.10, 0.03),
        L.DISAGREE: (0.31, 0.96),
    },
}


@dataclass(frozen=True)
class Model:
    """m and u of every field's levels, and where they came from."""

    version: str
    params: Params
    source: dict = field(default_factory=dict, compare=False)

    def weight(self, field_name: str, level: Level, *, u: float | None = None) -> float:
        """log2(m/u) of a level (u replaced by a term frequency when given); 0 if unmodelled."""
        m, model_u = self.params.get(field_name, {}).get(level, (1.0, 1.0))
        value = math.log2(_bounded(m) / _bounded(model_u if u is None else u))
        low, high = LEVEL_BOUNDS.get(
            (field_name, level), BOUNDS.get(field_name, (-math.inf, math.inf))
        )
        return round(min(max(value, low), high), 2)

    def best(self, field_name: str) -> float:
        """The highest weight the field can add (what a missing value might have been worth)."""
        levels = self.params.get(field_name, {})
        return max((self.weight(field_name, level) for level in levels), default=0.0)

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "params": {
                f: {str(lv): list(mu) for lv, mu in ls.items()} for f, ls in self.params.items()
            },
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> "Model":
        params = {
            f: {Level(lv): (float(mu[0]), float(mu[1])) for lv, mu in ls.items()}
            for f, ls in data["params"].items()
        }
        return cls(str(data["version"]), params, dict(data.get("source", {})))


def version_of(params: Params, *, prefix: str) -> str:
    """A version naming these exact numbers: prefix plus a short hash of the parameters."""
    canonical = json.dumps(
        {
            f: {str(lv): [round(x, 8) for x in mu] for lv, mu in sorted(ls.items())}
            for f, ls in sorted(params.items())
        },
        sort_keys=True,
    )
    return f"{prefix}-{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"


def _bounded(p: float) -> float:
    return min(max(p, FLOOR), 1 - FLOOR)


PRIOR = Model(version_of(PRIOR_PARAMS, prefix="prior"), PRIOR_PARAMS, {"kind": "hand-set prior"})
