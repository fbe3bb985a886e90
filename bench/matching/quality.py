"""Matching quality and search speed on a labelled set: `python -m bench.matching.quality`.

A registry of `--registry` persons is generated (`matching.synth`, seed `--seed`) and filed with
the service's bulk loader; `--cases` labelled requests are drawn apart from it
(`bench.matching.labelled`, seed `--seed` + 1) and decided one by one with the service's own
matcher, `--concurrency` at a time. Then `--latency-sample` of them are decided again alone (no
concurrency) to time the candidate search and the whole decision.

Tune on one seed, report on another: thresholds are chosen with `--seed 101`, figures are
reported with the default seed 11 (`make bench`: 1,000,000 persons, 100,000 cases).
"""

import argparse
import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Sequence

from bench.matching.adapter import Matcher
from bench.matching.common import registry_database
from bench.matching.labelled import STRANGERS, Case, cases_for_chunk, strangers
from bench.matching.metrics import Tally, print_report
from eventing.db import make_engine, make_sessions
from matching.domain import Thresholds
from matching.tools.generate import to_new_person
from matching.tools.loading import BulkLoader, connect
from matching.tools.synth.population import Generator

CHUNK = 100_000


async def build(url: str, *, registry: int, cases: int, seed: int, load: bool = True) -> list[Case]:
    """File the registry chunk by chunk and draw the labelled cases beside it.

    With `load=False` the registry is taken as already filed from the same seed and size (a
    kept database: `--database-url`); the chunks are generated again only to draw the cases.
    """
    rng, drawn = random.Random(seed + 1), []
    conn = await connect(url)
    try:
        loader = BulkLoader(conn)
        if load:
            await loader.start()
        about_registry = round(cases * (1 - STRANGERS))
        for chunk in Generator(seed).chunks(registry, size=CHUNK):
            if load:
                await loader.load(to_new_person(s) for s in chunk)
            share = round(about_registry * len(chunk) / registry)
            drawn += cases_for_chunk(rng, chunk, min(share, about_registry - len(drawn)))
        if load:
            await loader.finish()
    finally:
        await conn.close()
    drawn += strangers(rng, cases - len(drawn), seed=seed + 7919)
    random.Random(seed + 2).shuffle(drawn)
    return drawn


async def evaluate(url: str, cases: list[Case], matcher: Matcher, *, concurrency: int) -> Tally:
    """Decide every case; tally the outcomes against the truth."""
    engine = make_engine(url, pool_size=concurrency + 1)
    sessions, tally, pending = make_sessions(engine), Tally(), iter(cases)

    async def worker() -> None:
        for case in pending:
            async with sessions.begin() as tx:
                outcome = await matcher.decide(tx, case.data)
            tally.add(case, outcome)

    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await engine.dispose()
    return tally


async def latencies(url: str, cases: list[Case], matcher: Matcher) -> dict[str, list[float]]:
    """Milliseconds of the candidate search alone and of the whole decision, one at a time."""
    engine = make_engine(url, pool_size=2)
    sessions, timed = make_sessions(engine), {"search": [], "decision": []}
    try:
        for case in cases:
            async with sessions.begin() as tx:
                started = time.perf_counter()
                await matcher.search(tx, case.data)
                timed["search"].append((time.perf_counter() - started) * 1000)
            async with sessions.begin() as tx:
                started = time.perf_counter()
                await matcher.decide(tx, case.data)
                timed["decision"].append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return timed


async def run(args: argparse.Namespace) -> dict:
    thresholds = Thresholds(auto_match=args.auto_match, margin=args.margin, review=args.review)
    async with kept_or_fresh(args) as (url, load):
        started = time.perf_counter()
        cases = await build(
            url, registry=args.registry, cases=args.cases, seed=args.seed, load=load
        )
        built = time.perf_counter() - started
        matcher = Matcher(thresholds)
        started = time.perf_counter()
        tally = await evaluate(url, cases, matcher, concurrency=args.concurrency)
        decided = time.perf_counter() - started
        sample = cases[: args.latency_sample]
        await latencies(url, sample[: min(50, len(sample))], matcher)  # warm caches
        timed = await latencies(url, sample, matcher)
    return print_report(
        tally,
        timed,
        header={
            "registry": args.registry,
            "cases": args.cases,
            "seed": args.seed,
            "model_version": matcher.model_version,
            "thresholds": thresholds.__dict__,
            "build_s": round(built),
            "decide_s": round(decided),
        },
    )


@contextlib.asynccontextmanager
async def kept_or_fresh(args: argparse.Namespace) -> AsyncIterator[tuple[str, bool]]:
    """A kept registry (filed by `matching.tools.generate` with the same --seed and --registry:
    not loaded again), else a fresh database to load."""
    if args.database_url:
        yield args.database_url, False
        return
    async with registry_database(args.admin_url) as url:
        yield url, True


def main(argv: Sequence[str] | None = None) -> dict:
    defaults = Thresholds()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--latency-sample", type=int, default=2_000)
    parser.add_argument("--auto-match", type=float, default=defaults.auto_match)
    parser.add_argument("--margin", type=float, default=defaults.margin)
    parser.add_argument("--review", type=float, default=defaults.review)
    parser.add_argument(
        "--database-url",
        help="a kept registry filed by idpro-matching-generate with the same --seed/--registry",
    )
    parser.add_argument(
        "--admin-url",
        help="a PostgreSQL superuser URL (default: IDPRO_POSTGRES_URL, else an embedded server)",
    )
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
