"""Candidate search + scoring speed: `python -m bench.matching.speed [--registry 1000000]`.

Generates a registry of the given size (or reuses --database-url when it already holds that
many persons), then decides corrupted requests for registry persons and strangers with the
service's engine, `--concurrency` at a time, and prints throughput and latency percentiles.
"""

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Sequence

import asyncpg

from bench.matching.adapter import Matcher
from bench.matching.common import registry_database
from bench.matching.labelled import cases_for_chunk, strangers
from eventing.db import make_engine, make_sessions
from matching.domain import Thresholds
from matching.tools.generate import generate
from matching.tools.loading import database_dsn
from matching.tools.synth.population import Generator


async def registry_size(url: str) -> int:
    conn = await asyncpg.connect(database_dsn(url))
    try:
        return await conn.fetchval("SELECT count(*) FROM persons")
    finally:
        await conn.close()


def requests(count: int, *, seed: int, registry: int) -> list:
    """Labelled-set requests about the registry's first persons (same seed), and strangers.

    The registry is filed in chunks of 100,000 (`matching.tools.generate`): its first persons
    are the first chunk's, not those of one chunk of another size (a different draw).
    """
    rng = random.Random(seed)
    known = next(Generator(seed).chunks(registry, size=100_000))[: count * 4]
    cases = list(cases_for_chunk(rng, known, count * 2 // 3))
    cases += strangers(rng, count - len(cases), seed=seed + 7919)
    return [case.data for case in cases]


async def measure(url: str, queries: list, *, concurrency: int) -> tuple[list[float], float]:
    engine = make_engine(url, pool_size=concurrency)
    sessions, matcher = make_sessions(engine), Matcher(Thresholds())
    latencies: list[float] = []
    pending = iter(queries)

    async def worker() -> None:
        for query in pending:
            started = time.perf_counter()
            async with sessions.begin() as tx:
                await matcher.decide(tx, query)
            latencies.append(time.perf_counter() - started)

    try:
        async with sessions.begin() as tx:  # warm the frequency cache and the connection pool
            await matcher.decide(tx, queries[0])
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, time.perf_counter() - started
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace) -> None:
    async def bench(url: str) -> None:
        if await registry_size(url) < args.registry:
            seconds = await generate(args.registry, seed=args.seed, database_url=url)
            print(f"generated {args.registry:,} persons in {seconds:.0f} s")
        latencies, wall = await measure(
            url,
            requests(args.requests, seed=args.seed, registry=args.registry),
            concurrency=args.concurrency,
        )
        ms = sorted(x * 1000 for x in latencies)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(
            f"registry {args.registry:,}: {len(ms)} requests, concurrency {args.concurrency}: "
            f"{len(ms) / wall:.0f} requests/s; latency p50 {statistics.median(ms):.1f} ms, "
            f"p95 {ms[int(len(ms) * 0.95)]:.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
        )

    if args.database_url:
        await bench(args.database_url)
    else:
        async with registry_database(args.admin_url) as url:
            await bench(url)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--database-url", help="reuse this (migrated) matching database")
    parser.add_argument(
        "--admin-url",
        help="a PostgreSQL superuser URL (default: IDPRO_POSTGRES_URL, else an embedded server)",
    )
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
