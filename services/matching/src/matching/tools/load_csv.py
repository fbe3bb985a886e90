"""`python -m matching.load_csv FILE`: import registry persons from a CSV file (header row).

Columns: ssin, surnames, given_names, sex, birth_date (YYYY[-MM[-DD]]), birth_place,
birth_country, nationality, former_surnames, document_type, document_number, document_country,
document_expiry (YYYY-MM-DD), residence_city, residence_country. Only ssin and surnames are
required; a malformed row is reported and skipped, the rest is loaded.
"""

import argparse
import asyncio
import csv
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from stdnum.be import ssn

from matching.domain import Document, Person, PersonToFile
from matching.domain.keys import birth_parts
from matching.tools.loading import BulkLoader, connect, in_chunks


def person_from_row(row: dict[str, str]) -> PersonToFile:
    """One CSV row as a person to file; ValueError when it cannot be."""
    value = {k: (v or "").strip() or None for k, v in row.items()}
    if not value.get("ssin") or not ssn.is_valid(value["ssin"]) or not value.get("surnames"):
        raise ValueError("a valid ssin and a surname are required")
    if value.get("birth_date") and birth_parts(value["birth_date"]) is None:
        raise ValueError("birth_date must be YYYY, YYYY-MM or YYYY-MM-DD")
    identity = Person(
        surnames=value["surnames"],
        given_names=value.get("given_names") or "",
        sex=value.get("sex") or "unknown",
        birth_date=value.get("birth_date"),
        birth_place=value.get("birth_place"),
        birth_country=value.get("birth_country"),
        nationality=value.get("nationality"),
    )
    documents = (
        (
            Document(
                value.get("document_type") or "passport",
                value["document_number"],
                value.get("document_country"),
                date.fromisoformat(value["document_expiry"])
                if value.get("document_expiry")
                else None,
            ),
        )
        if value.get("document_number")
        else ()
    )
    former = value.get("former_surnames")
    addresses = (
        (
            {
                "kind": "residence",
                "city": value.get("residence_city"),
                "country": value["residence_country"],
            },
        )
        if value.get("residence_country")
        else ()
    )
    return PersonToFile(
        ssin=ssn.compact(value["ssin"]),
        identity=identity,
        origin="csv",
        other_names=(("former", former, identity.given_names),) if former else (),
        documents=documents,
        addresses=addresses,
    )


def read_persons(path: Path) -> Iterator[PersonToFile]:
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                yield person_from_row(row)
            except ValueError as exc:
                print(f"line {line}: skipped ({exc})", file=sys.stderr)


async def load(path: Path, *, database_url: str | None = None) -> int:
    conn = await connect(database_url)
    try:
        loader = BulkLoader(conn)
        await loader.start()
        async for chunk in in_chunks(read_persons(path), 50_000):
            await loader.load(chunk)
        await loader.finish()
        return loader.loaded
    finally:
        await conn.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--database-url", help="default: MATCHING_DATABASE_URL")
    args = parser.parse_args(argv)
    print(f"loaded {asyncio.run(load(args.file, database_url=args.database_url)):,} persons")


if __name__ == "__main__":
    main()
