"""`python -m matching.generate --count N [--seed S]`: seed the registry with synthetic persons."""

import argparse
import asyncio
import time
from collections.abc import Sequence

from matching.domain import Document, Person, PersonToFile
from matching.tools.loading import BulkLoader, connect
from matching.tools.synth.population import Generator, Synthetic


def to_new_person(s: Synthetic, *, origin: str = "generated") -> PersonToFile:
    """A synthetic person as the registry files it."""
    identity = Person(
        surnames=s.surnames,
        given_names=s.given_names,
        sex=s.sex,
        birth_date=s.birth_date,
        birth_place=s.birth_place,
        birth_country=s.country,
        nationality=s.country,
    )
    former = (("former", s.former_surnames, s.given_names),) if s.former_surnames else ()
    return PersonToFile(
        ssin=s.ssin,
        identity=identity,
        origin=origin,
        other_names=former,
        documents=(Document(s.document_type, s.document_number, s.country, s.document_expiry),),
        addresses=(
            {
                "kind": "residence",
                "street": s.residence_street,
                "number": s.residence_number,
                "postal_code": s.residence_postal_code,
                "city": s.residence_city,
                "country": s.residence_country,
            },
        ),
    )


async def generate(
    count: int, *, seed: int, database_url: str | None = None, chunk: int = 100_000
) -> float:
    """Generate and load `count` persons; the seconds it took."""
    started = time.perf_counter()
    conn = await connect(database_url)
    try:
        loader = BulkLoader(conn)
        await loader.start()
        for persons in Generator(seed).chunks(count, size=chunk):
            await loader.load(to_new_person(p) for p in persons)
            print(f"  loaded {loader.loaded:,} persons ({time.perf_counter() - started:.0f} s)")
        await loader.finish()
    finally:
        await conn.close()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="default: MATCHING_DATABASE_URL")
    args = parser.parse_args(argv)
    seconds = asyncio.run(generate(args.count, seed=args.seed, database_url=args.database_url))
    print(f"generated {args.count:,} persons in {seconds:.1f} s")


if __name__ == "__main__":
    main()
