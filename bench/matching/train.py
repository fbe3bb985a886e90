"""Estimate the model and choose thresholds on a tuning set: `python -m bench.matching.train`.

Never on the set that is reported: the tuning registry and cases come from `--seed` (101), the
report (`bench.matching.quality`) uses seed 11. Steps:
1. file a registry and draw labelled cases beside it, as the quality bench does;
2. search every case once (the search does not depend on the model), keeping what the pure
   domain needs to decide it again; with `--cache FILE` steps 1-2 are stored (pickle) and the
   next run with the same file starts at step 3 — tuning needs no new registry;
3. u from random registry pairs, m by EM on every (case, candidate) pair, the candidates of one
   case rivals (at most one is the requester) — labels unused, as in production, where only
   agents' verdicts are labels;
4. score every case once with the estimated model, then decide it for each thresholds of the
   grid (deciding is pure and cheap), printing the figures of each, so the defaults are chosen
   here, not on the reported set;
5. with `--write`, store the model as the one the service ships (matching/trained_model.json).
"""

import argparse
import asyncio
import itertools
import json
import pickle
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.matching.adapter import outcome_of
from bench.matching.labelled import Case
from bench.matching.metrics import Tally, figures
from bench.matching.quality import build, kept_or_fresh
from eventing.db import make_engine, make_sessions
from matching import domain, repository
from matching.domain import SamePerson, Thresholds, Verdict, decide, minimum_data, person_from
from matching.domain.decide import hard_conflicts, uncorroborated
from matching.domain.estimate import estimate, vector_of
from matching.domain.levels import Level
from matching.domain.model import PRIOR, Model, version_of
from matching.tools.estimate import print_model, random_pair_vectors

SHIPPED = Path(domain.__file__).parents[1] / "trained_model.json"
GRID = {
    "auto_match": (24.0, 27.0, 30.0, 33.0),
    "margin": (4.0, 6.0),
    "review": (5.0, 6.0, 8.0, 10.0, 12.0, 15.0),
}


async def searched(url: str, cases: list[Case]) -> list[tuple]:
    """Per case: the request's person, its candidates and their term frequencies."""
    engine = make_engine(url, pool_size=2)
    sessions, terms, kept = make_sessions(engine), repository.TermFrequencies(), []
    try:
        for case in cases:
            async with sessions.begin() as tx:
                person = person_from(case.data)
                ids = await repository.find_candidate_ids(tx, person)
                entries = await repository.load_entries(tx, ids)
                frequency = await terms.for_entries(tx, entries, request=person)
            kept.append((person, entries, frequency))
    finally:
        await engine.dispose()
    return kept


def scored_with(inputs: list[tuple], model: Model) -> list[tuple]:
    """Per case, what deciding needs: scores with `model`, the entries, the minimum data."""
    kept = []
    for person, entries, frequency in inputs:
        scored = domain.score_entries(person, entries, frequency=frequency, model=model)
        kept.append((scored, {str(e.person_id): e for e in entries}, minimum_data(person)))
    return kept


def decided(cases: list[Case], scored: list[tuple], th: Thresholds, version: str) -> dict:
    """The figures of one thresholds on scores computed once (no search, no scoring)."""
    tally = Tally()
    for case, (ranked, by_id, minimum) in zip(cases, scored, strict=True):
        decision = decide(ranked, th, minimum_data_met=minimum.met, missing=minimum.missing)
        tally.add(case, outcome_of(Verdict(decision, ranked, by_id, minimum, None, version)))
    return figures(tally, {"search": [], "decision": []})


def why(cases: list[Case], scored: list[tuple], th: Thresholds) -> None:
    """Why known persons were not matched automatically at `th`, and the wrong matches' levels."""
    reasons: Counter = Counter()
    patterns: Counter = Counter()
    for case, (ranked, by_id, minimum) in zip(cases, scored, strict=True):
        ranked = sorted(ranked, key=lambda s: s.weight, reverse=True)
        decision = decide(ranked, th, minimum_data_met=minimum.met, missing=minimum.missing)
        chosen = by_id[decision.candidate_id].ssin if isinstance(decision, SamePerson) else None
        if chosen and chosen != case.truth:
            best = ranked[0]
            print(f"wrong automatic ({case.kind}, {best.weight:.1f} bits): {_levels(best)}")
        if case.truth is None or chosen == case.truth:
            continue
        mine = [s for s in ranked if by_id[s.candidate_id].ssin == case.truth]
        if not mine:
            reasons["not found"] += 1
            continue
        truth = mine[0]
        if truth is not ranked[0]:
            reasons["another candidate weighs more"] += 1
            continue
        runner = ranked[1].weight if len(ranked) > 1 else float("-inf")
        because = [
            *hard_conflicts(truth),
            *(["uncorroborated"] if uncorroborated(truth) else []),
            *(["below auto_match"] if truth.weight < th.auto_match else []),
            *(["margin"] if truth.weight - runner < th.margin else []),
        ]
        reasons[" + ".join(because) or "?"] += 1
        patterns[(" + ".join(because), _levels(truth))] += 1
    print(f"\nknown persons not matched automatically at {th}:")
    for reason, n in reasons.most_common():
        print(f"  {n:6d}  {reason}")
    print("\ncommonest levels of a best-ranked truth left to review or new:")
    for (reason, levels), n in patterns.most_common(25):
        print(f"  {n:5d}  [{reason}]  {levels}")


def _levels(s) -> str:
    return " ".join(
        f"{a.field}={a.level}" for a in s.agreements if str(a.level) not in ("missing",)
    )


def floored(model: Model) -> Model:
    """m of a disagreeing level kept at least at the prior's.

    The synthetic corruption never changes a sex, a birth place or a country, so the tuning set
    says true matches never disagree there (m ~1e-4: -10 to -13 bits); real entry errors do, and
    such a weight would turn a known person with one wrong field into a new number.
    """
    params = {
        f: {
            lv: (max(m, PRIOR.params[f][lv][0]) if lv is Level.DISAGREE else m, u)
            for lv, (m, u) in levels.items()
        }
        for f, levels in model.params.items()
    }
    source = model.source | {"disagree_m_floor": "prior", "m": "labelled tuning set (seed 101)"}
    return Model(version_of(params, prefix=model.version.rsplit("-", 1)[0]), params, source)


def labelled_pairs(cases: list[Case], inputs: list[tuple]) -> list[tuple[dict, bool]]:
    """Every (case, candidate) pair's levels and whether the candidate is the case's person."""
    labels = []
    for case, (person, entries, frequency) in zip(cases, inputs, strict=True):
        by_id = {str(e.person_id): e.ssin for e in entries}
        for s in domain.score_entries(person, entries, frequency=frequency):
            labels.append((vector_of(s.agreements), by_id[s.candidate_id] == case.truth))
    return labels


def pairs_of(inputs: list[tuple]) -> tuple[list[dict], list[int]]:
    """Every (case, candidate) pair's levels (the prior's scores: levels need no m/u), and the
    case each pair belongs to."""
    pairs, groups = [], []
    for case, (person, entries, frequency) in enumerate(inputs):
        for s in domain.score_entries(person, entries, frequency=frequency):
            pairs.append(vector_of(s.agreements))
            groups.append(case)
    return pairs, groups


async def prepared(args: argparse.Namespace) -> tuple[list[Case], list[tuple], list[dict]]:
    """Steps 1-2 (and the random pairs for u), from the cache when it holds them."""
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        with cache.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - a file this tool wrote
    async with kept_or_fresh(args) as (url, load):
        cases = await build(
            url, registry=args.registry, cases=args.cases, seed=args.seed, load=load
        )
        inputs = await searched(url, cases)
        engine = make_engine(url, pool_size=1)
        async with make_sessions(engine).begin() as tx:
            randoms = await random_pair_vectors(tx, args.random_pairs)
        await engine.dispose()
    if cache:
        with cache.open("wb") as f:
            pickle.dump((cases, inputs, randoms), f, protocol=pickle.HIGHEST_PROTOCOL)
    return cases, inputs, randoms


async def run(args: argparse.Namespace) -> None:
    cases, inputs, randoms = await prepared(args)
    if args.prior:
        model = PRIOR
    elif args.labelled:
        # The tuning set's truth as the agents' verdicts would be: m counted on labelled pairs.
        labels = labelled_pairs(cases, inputs)
        model = floored(estimate([], random_pairs=randoms, labels=labels, prior=PRIOR).model)
    else:
        pairs, groups = pairs_of(inputs)
        model = estimate(pairs, random_pairs=randoms, prior=PRIOR, groups=groups).model
    print_model(model)
    scored = scored_with(inputs, model)
    print(f"\nthresholds on the tuning set (seed {args.seed}), model {model.version}:")
    print("auto margin review | wrong  auto_recall  new_known  review_share  f1")
    for auto, margin, review in itertools.product(*GRID.values()):
        f = decided(cases, scored, Thresholds(auto, margin, review), model.version)
        print(
            f"{auto:4.0f} {margin:6.0f} {review:6.0f} | {f['wrong_automatic_matches']:5d}  "
            f"{f['automatic_recall']:.4f}       {f['known_made_new']:5d}     "
            f"{f['share_review']:.3f}       {f['f1_at_review_threshold']:.4f}"
        )
    if args.why:
        why(cases, scored, Thresholds(*args.why))
    if args.write and not args.prior:
        SHIPPED.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {SHIPPED}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--random-pairs", type=int, default=100_000)
    parser.add_argument("--write", action="store_true", help="ship the model with the service")
    parser.add_argument("--cache", help="keep (or reuse) the searched cases in this file")
    parser.add_argument("--prior", action="store_true", help="the hand-set prior, no estimate")
    parser.add_argument(
        "--labelled",
        action="store_true",
        help="m from the tuning set's truth (as agents' verdicts), not from unlabelled EM",
    )
    parser.add_argument(
        "--why",
        nargs=3,
        type=float,
        metavar=("AUTO", "MARGIN", "REVIEW"),
        help="at these thresholds: why known persons were not matched automatically",
    )
    parser.add_argument("--admin-url", help="a PostgreSQL superuser URL (default: embedded)")
    parser.add_argument(
        "--database-url",
        help="a kept registry filed by idpro-matching-generate with the same --seed/--registry",
    )
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
