"""`idpro-matching-estimate`: re-estimate m and u from the registry and the decisions taken.

u is counted on random pairs of registry persons; m by EM on the (request, candidate) pairs of
recent decisions (their stored explanations keep every explained candidate's levels), the
candidates of one decision rivals (at most one is the requester), with the agents' verdicts
(match_labels) as fixed labels. The new model is stored under its version and
becomes the one the service weighs with (within a minute: the service re-reads it); decisions
name the version in their explanation. `--dry-run` prints the model without storing it.
"""

import argparse
import asyncio
import random
from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from eventing.db import make_engine, make_sessions
from matching import repository
from matching.domain import score
from matching.domain.estimate import Estimate, Vector, estimate, vector_of
from matching.domain.levels import Level
from matching.domain.model import Model
from matching.repository.models import active_or_default
from matching.tables import Decision
from matching.tools.loading import database_dsn


async def random_pair_vectors(tx: AsyncSession, count: int, *, seed: int = 7) -> list[Vector]:
    """Levels of `count` random pairs of registry persons (different people, but for chance)."""
    top = await tx.scalar(text("SELECT coalesce(max(id), 0) FROM persons")) or 0
    if top < 2:
        return []
    rng, vectors, terms = random.Random(seed), [], repository.TermFrequencies()
    for _ in range(count):  # ids may have gaps; bounded so a sparse table cannot loop forever
        if len(vectors) >= count:
            break
        ids = [rng.randint(1, top) for _ in range(min(2_000, 2 * (count - len(vectors))))]
        entries = await repository.load_entries(tx, ids)
        rng.shuffle(entries)
        frequency = await terms.for_entries(tx, entries)
        for a, b in zip(entries[::2], entries[1::2], strict=False):
            found = score(a.variants[0], b.variants[0], candidate_id="b", frequency=frequency)
            vectors.append(vector_of(found.agreements))
    return vectors[:count]


async def decision_vectors(tx: AsyncSession, limit: int) -> tuple[list[Vector], list[int]]:
    """The explained candidates of the latest automatic decisions, as comparison vectors, and
    the decision each came from."""
    rows = await tx.scalars(
        select(Decision.explanation)
        .where(Decision.decided_by == "automatic")
        .order_by(Decision.decided_at.desc())
        .limit(limit)
    )
    vectors, groups = [], []
    for decision, explanation in enumerate(rows):
        for c in explanation.get("candidates", []):
            levels = c["agreements"]
            vectors.append(
                {a["field"]: Level(a["level"]) for a in levels if a["level"] != "missing"}
            )
            groups.append(decision)
    return vectors, groups


async def label_vectors(tx: AsyncSession) -> list[tuple[Vector, bool]]:
    labels = await repository.load_labels(tx)
    return [({f: Level(lv) for f, lv in levels.items()}, is_match) for is_match, levels in labels]


async def reestimate(
    database_url: str | None, *, decisions: int, random_pairs: int, store: bool
) -> Estimate:
    engine = make_engine(
        database_dsn(database_url).replace("postgresql://", "postgresql+asyncpg://")
    )
    try:
        async with make_sessions(engine).begin() as tx:
            prior = await active_or_default(tx)
            pairs, groups = await decision_vectors(tx, decisions)
            found = estimate(
                pairs,
                random_pairs=await random_pair_vectors(tx, random_pairs),
                labels=await label_vectors(tx),
                prior=prior,
                groups=groups,
            )
            if store:
                await repository.save_model(tx, found.model)
    finally:
        await engine.dispose()
    return found


def print_model(model: Model) -> None:
    print(f"model {model.version}  {model.source}")
    for field, levels in model.params.items():
        for level, (m, u) in levels.items():
            print(
                f"  {field:<14} {level!s:<20} m={m:.4f} u={u:.6f} weight={model.weight(field, level):+.2f}"
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--decisions", type=int, default=50_000, help="latest decisions to learn m from"
    )
    parser.add_argument("--random-pairs", type=int, default=200_000, help="registry pairs for u")
    parser.add_argument("--dry-run", action="store_true", help="print, do not store")
    parser.add_argument("--database-url", help="default: MATCHING_DATABASE_URL")
    args = parser.parse_args(argv)
    found = asyncio.run(
        reestimate(
            args.database_url,
            decisions=args.decisions,
            random_pairs=args.random_pairs,
            store=not args.dry_run,
        )
    )
    print_model(found.model)
    print("stored as the active model" if not args.dry_run else "not stored (--dry-run)")


if __name__ == "__main__":
    main()
