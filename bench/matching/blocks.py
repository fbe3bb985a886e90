"""Where the candidate search spends its time: `python -m bench.matching.blocks --database-url URL`.

Runs every search block of `repository.search` alone, one request at a time, on the requests of
the speed bench (registry persons of the same `--seed`, corrupted, and strangers) and prints each
block's p50/p99/max and the rows it returned, then the whole search. With `--explain N` the plan
(EXPLAIN ANALYZE, BUFFERS) of each block's slowest request is printed too.
"""

import argparse
import asyncio
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import text

from bench.matching.speed import requests
from eventing.db import make_engine, make_sessions
from matching.domain import person_from
from matching.repository import search


def _named(q: search.Query) -> tuple[dict[str, str], dict]:
    blocks, params = search.plan(q)
    return blocks, params


async def run(args: argparse.Namespace) -> None:
    engine = make_engine(args.database_url, pool_size=2)
    sessions = make_sessions(engine)
    timed: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    queries = requests(args.requests, seed=args.seed, registry=args.registry)
    try:
        for n, data in enumerate(queries):
            person = person_from(data)
            q = search.query_for(person)
            blocks, params = _named(q)
            async with sessions.begin() as tx:
                for name, sql in blocks.items():
                    started = time.perf_counter()
                    rows = (await tx.execute(text(sql), params)).all()
                    timed[name].append(((time.perf_counter() - started) * 1000, len(rows), n))
                started = time.perf_counter()
                found = await search.find_candidate_ids(tx, person)
                timed["search"].append(((time.perf_counter() - started) * 1000, len(found), n))
        print(f"{len(queries)} requests, seed {args.seed}")
        for name, values in timed.items():
            ms = sorted(v[0] for v in values)
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            rows = statistics.mean(v[1] for v in values)
            print(
                f"  {name:<10} n={len(ms):>5} p50 {statistics.median(ms):7.1f} ms  "
                f"p99 {p99:7.1f} ms  max {ms[-1]:7.1f} ms  rows {rows:5.1f}"
            )
        for name, values in list(timed.items())[: args.explain and None]:
            if name == "search" or not args.explain:
                continue
            slowest = max(values)[2]
            q = search.query_for(person_from(queries[slowest]))
            blocks, params = _named(q)
            async with sessions.begin() as tx:
                plan = await tx.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {blocks[name]}"), params)
                print(f"\n--- {name} (request {slowest})")
                print("\n".join(row[0] for row in plan))
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5, help="the registry's seed")
    parser.add_argument("--registry", type=int, default=1_000_000, help="the registry's size")
    parser.add_argument("--explain", action="store_true")
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
