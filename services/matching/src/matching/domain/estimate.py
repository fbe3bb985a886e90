"""m and u from data: u from random registry pairs, m by expectation-maximisation. Pure.

The estimate follows Splink's recipe (and Fellegi–Sunter's): u = P(level | two different people)
is counted on random pairs of registry persons, who are almost never the same person; m =
P(level | same person) and the share of true matches are found by EM on the (request,
candidate) pairs the search produced, with u held fixed. Pairs an agent labelled keep their
label (match or not) through every iteration, so the back office's decisions steer the estimate.

A request is about one person: given `groups` (the request each pair came from), EM treats the
candidates of one request as rivals: either one of them is the requester or none is, so two
look-alikes of one request (twins, a namesake) cannot both count as matches and inflate m of the
levels that only tell relatives apart. Without groups every pair is independent (Splink's way).
A level seen too rarely to estimate keeps its prior m, pulled in by `PRIOR_STRENGTH` pseudo-pairs.

u of a level seen fewer than `MIN_SEEN` times among the random pairs is not counted: a share
of 0 or 3 in 100,000 says only that the level is rare. Smoothing such a count towards the prior
with a few pseudo-pairs made u collapse to a few thousandths of the prior (+10 bits and more for
a surname typo or a date one digit off: those levels then outweighed an exact date). Such a
level keeps its prior u, capped at the 95% upper bound the sample allows (k + 3 + 2·√k in n):
never smaller than what the data can show, never larger than what it rules out.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.domain.levels import Level
from matching.domain.model import PRIOR, Model, version_of

Vector = Mapping[str, Level]  # field -> level (missing fields absent)
# Fields EM leaves at their prior: name_order is only recorded when names were swapped.
FIXED_FIELDS = frozenset({"name_order"})
PRIOR_STRENGTH = 20.0
MIN_SEEN = 20
MAX_ITERATIONS, TOLERANCE = 100, 1e-7


@dataclass(frozen=True)
class Estimate:
    model: Model
    iterations: int
    match_share: float
    pairs: int
    labelled: int
    random_pairs: int


def estimate_u(
    random_pairs: Iterable[Vector], prior: Model = PRIOR
) -> dict[str, dict[Level, float]]:
    """u per field and level, counted on random registry pairs (smoothed towards the prior)."""
    counts: dict[str, Counter] = {f: Counter() for f in prior.params}
    for vector in random_pairs:
        for f, level in vector.items():
            if f in counts and level is not Level.MISSING:
                counts[f][level] += 1
    u = {}
    for f, levels in prior.params.items():
        seen = sum(counts[f].values())
        u[f] = {lv: _u_of(counts[f][lv], seen, mu[1]) for lv, mu in levels.items()}
    return u


def _u_of(count: int, seen: int, prior_u: float) -> float:
    """The counted share when the level was seen often enough, else the prior within the data."""
    if seen == 0:
        return prior_u
    if count >= MIN_SEEN:
        return count / seen
    return min(prior_u, (count + 3 + 2 * math.sqrt(count)) / seen)


def estimate(
    pairs: Sequence[Vector],
    *,
    random_pairs: Sequence[Vector],
    labels: Sequence[tuple[Vector, bool]] = (),
    prior: Model = PRIOR,
    prefix: str | None = None,
    groups: Sequence[int] | None = None,
) -> Estimate:
    """A model whose m comes from EM on `pairs` (and `labels`) and u from `random_pairs`.

    `groups[i]` names the request pair i came from (at most one match per request).
    """
    u = estimate_u(random_pairs, prior)
    fields = [f for f in prior.params if f not in FIXED_FIELDS]
    levels = {f: list(prior.params[f]) for f in fields}
    codes = _encode([*pairs, *(v for v, _ in labels)], fields, levels)
    known = np.array([np.nan] * len(pairs) + [float(k) for _, k in labels])
    if groups is not None and len(groups) != len(pairs):
        raise ValueError("one group per pair")
    grouped = None
    if groups is not None:
        # Labelled pairs come last, each a group of its own (their weight is fixed anyway).
        _, grouped = np.unique(np.asarray(groups), return_inverse=True)
        grouped = np.concatenate([grouped, grouped.max(initial=-1) + 1 + np.arange(len(labels))])
    m, share, iterations = _expectation_maximisation(
        codes, known, u, prior, fields, levels, grouped
    )
    params = {
        f: {
            lv: prior.params[f][lv]
            if f in FIXED_FIELDS
            else (float(m[f][levels[f].index(lv)]), float(u[f][lv]))
            for lv in prior.params[f]
        }
        for f in prior.params
    }
    version = version_of(params, prefix=prefix or f"em-{date.today():%Y%m%d}")
    source = {
        "kind": "em",
        "pairs": len(pairs),
        "labelled": len(labels),
        "random_pairs": len(random_pairs),
        "iterations": iterations,
        "match_share": round(share, 5),
        "one_match_per_request": groups is not None,
    }
    model = Model(version, params, source)
    return Estimate(model, iterations, share, len(pairs), len(labels), len(random_pairs))


def _expectation_maximisation(codes, known, u, prior: Model, fields, levels, groups=None):
    """m per field, the share of matches and the iterations it took, u held fixed.

    Without groups `share` is the share of pairs that match; with groups, the share of requests
    whose person is among their candidates (each candidate equally likely a priori).
    """
    m = {f: np.array([prior.params[f][lv][0] for lv in levels[f]]) for f in fields}
    log_u = sum(
        _log_at(np.array([u[f][lv] for lv in levels[f]]), codes[:, i]) for i, f in enumerate(fields)
    )
    open_ = np.isnan(known)
    if groups is not None:
        sizes = np.bincount(groups)
        log_size = np.log(sizes[groups])
        requests = len(sizes)
    share, done = 0.1 if groups is None else 0.5, 0
    while done < MAX_ITERATIONS:
        done += 1
        log_m = sum(_log_at(m[f], codes[:, i]) for i, f in enumerate(fields))
        if groups is None:
            odds = np.clip(log_m - log_u + math.log(share / (1 - share)), -50, 50)
            posterior = 1 / (1 + np.exp(-odds))
        else:
            # P(pair j is the request's person) = prior_j L_j / ((1 - share) + sum_k prior_k L_k)
            # with prior_k = share / candidates of the request.
            ratio = np.exp(np.clip(log_m - log_u + math.log(share) - log_size, -50, 50))
            total = np.bincount(groups, weights=ratio, minlength=requests)
            posterior = ratio / ((1 - share) + total[groups])
        w = np.where(open_, posterior, known)
        new_m = {f: _maximise(codes[:, i], w, prior, f, levels[f]) for i, f in enumerate(fields)}
        unlabelled = w[open_]
        if groups is None:
            new_share = float(unlabelled.mean()) if unlabelled.size else share
        else:
            per_request = np.bincount(groups[open_], weights=unlabelled, minlength=requests)
            asked = np.bincount(groups[open_], minlength=requests) > 0
            new_share = float(per_request[asked].mean()) if asked.any() else share
        change = max(float(np.abs(new_m[f] - m[f]).max()) for f in fields)
        m, share = new_m, min(max(new_share, 1e-6), 1 - 1e-6)
        if change < TOLERANCE:
            break
    return m, share, done


def _encode(vectors: Sequence[Vector], fields: list[str], levels) -> np.ndarray:
    """Pairs × fields of level indexes, -1 where the level is missing or unmodelled."""
    index = {f: {lv: i for i, lv in enumerate(levels[f])} for f in fields}
    codes = np.full((len(vectors), len(fields)), -1, dtype=np.int16)
    for row, vector in enumerate(vectors):
        for col, f in enumerate(fields):
            level = vector.get(f)
            if level is not None:
                codes[row, col] = index[f].get(level, -1)
    return codes


def _log_at(p: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """log p[code] per pair, 0 where the code is -1 (missing)."""
    logs = np.log(np.clip(p, 1e-12, 1.0))
    return np.where(codes >= 0, logs[np.maximum(codes, 0)], 0.0)


def _maximise(codes: np.ndarray, w: np.ndarray, prior: Model, f: str, levels) -> np.ndarray:
    """m per level: the responsibility-weighted share of pairs at that level, prior-smoothed."""
    seen = codes >= 0
    mass = np.bincount(codes[seen], weights=w[seen], minlength=len(levels))
    prior_m = np.array([prior.params[f][lv][0] for lv in levels])
    return (mass + PRIOR_STRENGTH * prior_m) / (mass.sum() + PRIOR_STRENGTH * prior_m.sum())


def vector_of(agreements: Iterable) -> dict[str, Level]:
    """A scored candidate's agreements as a comparison vector (missing fields left out)."""
    return {a.field: Level(a.level) for a in agreements if Level(a.level) is not Level.MISSING}
