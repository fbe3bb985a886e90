"""Matching quality on a labelled test set: `python -m bench.matching.quality [--registry N]`.

The registry is generated (matching.synth); the test set is drawn separately: registry persons
as employers type them (see common.CORRUPTIONS), hard negatives (a sibling or twin: same surname,
birth date and place, other given name; a namesake: same names, other date and place) and
people who are not in the registry at all. Prints precision and recall of automatic "same
person" decisions, the wrong-match rate, the shares decided automatically and sent to review,
and F1 when every candidate above the review threshold counts as a match.
"""

import argparse
import asyncio
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.matching.common import as_request, corrupt, registry_database
from eventing.db import make_engine, make_sessions
from matching.domain import Level, NeedsReview, Person, SamePerson, Thresholds
from matching.domain.compare import name_level
from matching.domain.normalise import normalise_name
from matching.engine import Engine
from matching.generate import to_new_person
from matching.loading import BulkLoader, connect
from matching.synth.population import Generator, Synthetic


@dataclass(frozen=True)
class Case:
    query: Person
    truth: str | None  # the registry number of the person, None when not in the registry
    kind: str


def person_of(s: Synthetic) -> Person:
    return to_new_person(s).identity


def _no_shared_given_name(a: Person, b: Person) -> bool:
    """No given name of one is a spelling (or typo) of a given name of the other."""
    return all(
        name_level(normalise_name(x), normalise_name(y)) is Level.DISAGREE
        for x in a.given_names.split()
        for y in b.given_names.split()
    )


def test_set(registry: list[Synthetic], *, size: int, seed: int) -> list[Case]:
    """Half known persons (corrupted), a quarter hard negatives, a quarter strangers."""
    rng = random.Random(seed)
    cases = []
    for s in rng.sample(registry, size // 2):
        p = replace(
            person_of(s),
            document_type=s.document_type,
            document_number=s.document_number,
            document_country=s.country,
        )
        query, applied = corrupt(rng, as_request(p, rng=rng))
        cases.append(Case(query, s.ssin, "+".join(applied) or "clean"))
    others = [person_of(s) for s in rng.sample(registry, size // 4)]
    for i, p in enumerate(others):
        if i % 2:
            # A sibling shares no given name: "Anna Maria" vs "Maria" is one person, typed short,
            # and so are María/Maria or Mariia/Maria (spellings of one name): compared as the
            # matcher normalises names, not as raw strings, or the "sibling" is the person.
            sibling = rng.choice(
                [o for o in others if o.sex == p.sex and _no_shared_given_name(p, o)] or others
            )
            cases.append(
                Case(
                    as_request(replace(p, given_names=sibling.given_names), rng=rng),
                    None,
                    "sibling_or_twin",
                )
            )
        else:
            year = int((p.birth_date or "1980")[:4]) + rng.choice((-7, -4, 3, 6))
            cases.append(
                Case(
                    as_request(
                        replace(p, birth_date=f"{year}-06-15", birth_place="Elsewhere"), rng=rng
                    ),
                    None,
                    "namesake",
                )
            )
    strangers = Generator(seed + 7919).chunk(size - len(cases))
    cases += [Case(as_request(person_of(s), rng=rng), None, "stranger") for s in strangers]
    return cases


async def evaluate(url: str, cases: list[Case], thresholds: Thresholds) -> Counter:
    """Decide every case with the service's engine; count outcomes against the truth."""
    engine = make_engine(url)
    sessions, matcher, tally = make_sessions(engine), Engine(thresholds), Counter()
    try:
        for case in cases:
            async with sessions.begin() as tx:
                verdict = await matcher.judge(tx, case.query)
            d, best = verdict.decision, verdict.scored[0] if verdict.scored else None
            best_ssin = verdict.entry(best.candidate_id).ssin if best else None
            tally["cases"] += 1
            tally["positives"] += case.truth is not None
            if isinstance(d, SamePerson):
                right = verdict.entry(d.candidate_id).ssin == case.truth
                tally["auto_match_right" if right else "auto_match_wrong"] += 1
                if not right:
                    tally[f"wrong:{case.kind}"] += 1
            elif isinstance(d, NeedsReview):
                tally["review"] += 1
            else:
                tally["auto_new_or_info"] += 1
                tally["missed_known" if case.truth else "new_right"] += 1
            if best and best.weight >= thresholds.review:
                tally["plausible_right" if best_ssin == case.truth else "plausible_wrong"] += 1
    finally:
        await engine.dispose()
    return tally


def report(t: Counter, thresholds: Thresholds, *, registry: int, seconds: float) -> None:
    auto = t["auto_match_right"] + t["auto_match_wrong"]
    precision = t["auto_match_right"] / auto if auto else 1.0
    recall = t["auto_match_right"] / t["positives"] if t["positives"] else 0.0
    tp, fp = t["plausible_right"], t["plausible_wrong"]
    p_rev = tp / (tp + fp) if tp + fp else 1.0
    r_rev = tp / t["positives"] if t["positives"] else 0.0
    f1 = 2 * p_rev * r_rev / (p_rev + r_rev) if p_rev + r_rev else 0.0
    n = t["cases"]
    print(
        f"registry {registry:,} persons; {n:,} labelled requests ({t['positives']:,} known); "
        f"thresholds auto_match={thresholds.auto_match} margin={thresholds.margin} "
        f"review={thresholds.review}; {seconds:.1f} s"
    )
    print(f"  automatic same-person: precision {precision:.4f}, recall {recall:.4f}")
    print(
        f"  wrong automatic matches: {t['auto_match_wrong']} ({t['auto_match_wrong'] / n:.4%} "
        f"of requests) {dict((k, v) for k, v in t.items() if k.startswith('wrong:'))}"
    )
    print(
        f"  decided automatically {(auto + t['auto_new_or_info']) / n:.1%}, "
        f"sent to review {t['review'] / n:.1%}, known persons missed (new/info) "
        f"{t['missed_known']}"
    )
    print(f"  at the review threshold: precision {p_rev:.4f}, recall {r_rev:.4f}, F1 {f1:.4f}")


async def run(args: argparse.Namespace) -> None:
    thresholds = Thresholds(auto_match=args.auto_match, margin=args.margin, review=args.review)
    async with registry_database(args.admin_url) as url:
        conn, registry = await connect(url), []
        loader = BulkLoader(conn)
        await loader.start()
        for chunk in Generator(args.seed).chunks(args.registry):
            registry += chunk
            await loader.load(to_new_person(s) for s in chunk)
        await loader.finish()
        await conn.close()
        started = time.perf_counter()
        tally = await evaluate(
            url, test_set(registry, size=args.cases, seed=args.seed + 1), thresholds
        )
        report(tally, thresholds, registry=args.registry, seconds=time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    defaults = Thresholds()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--auto-match", type=float, default=defaults.auto_match)
    parser.add_argument("--margin", type=float, default=defaults.margin)
    parser.add_argument("--review", type=float, default=defaults.review)
    parser.add_argument(
        "--admin-url",
        help="a PostgreSQL superuser URL (default: IDPRO_POSTGRES_URL, else an embedded server)",
    )
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
