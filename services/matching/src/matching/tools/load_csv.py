"""`python -m matching.load_csv FILE`: import registry persons from a CSV file (header row).

Columns: ssin, surnames, given_names, sex, birth_date (YYYY[-MM[-DD]]), birth_place,
birth_country, nationality, former_surnames, document_type, document_number, document_country,
document_expiry (YYYY-MM-DD), residence_street, residence_number, residence_postal_code,
residence_city, residence_country. Required: a valid ssin and a name (surnames or given names:
a person with one name may have either). A malformed row is reported with its line and reason
(never its values) and skipped; the rest is loaded.
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
    value = {k: (v or "").strip() or None for k, v in row.items() if k}
    check_lengths(value)
    for column in ("birth_country", "nationality", "document_country", "residence_country"):
        if value.get(column):
            value[column] = country_of(value[column], column)
    if not value.get("ssin") or not ssn.is_valid(value["ssin"]):
        raise ValueError("ssin is missing or not a valid national or BIS number")
    if not (value.get("surnames") or value.get("given_names")):
        raise ValueError("a name is required (surnames or given_names)")
    if value.get("birth_date") and birth_parts(value["birth_date"]) is None:
        raise ValueError("birth_date must be YYYY, YYYY-MM or YYYY-MM-DD")
    identity = Person(
        surnames=value.get("surnames") or "",
        given_names=value.get("given_names") or "",
        sex=sex_of(value.get("sex")),
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
                expiry_of(value.get("document_expiry")),
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
                "street": value.get("residence_street"),
                "number": value.get("residence_number"),
                "postal_code": value.get("residence_postal_code"),
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


def sex_of(value: str | None) -> str:
    """male, female or unknown from the usual spellings (M/F, H/V, m/w); ValueError otherwise."""
    first = (value or "u").strip().lower()[:1]
    sexes = {"m": "male", "h": "male", "f": "female", "v": "female", "w": "female", "u": "unknown"}
    if first not in sexes:
        raise ValueError("sex must be male, female or unknown")
    return sexes[first]


def expiry_of(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValueError("document_expiry must be YYYY-MM-DD") from None


def country_of(value: str, column: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{column} must be a two-letter country code")
    return code


# The registry's column widths: a longer value would fail the whole COPY, so the row is skipped.
LIMITS = {
    "document_type": 20,
    "document_number": 40,
    "residence_number": 20,
    "residence_postal_code": 20,
}


def check_lengths(value: dict[str, str | None]) -> None:
    for column, limit in LIMITS.items():
        if len(value.get(column) or "") > limit:
            raise ValueError(f"{column} is longer than {limit} characters")


def read_persons(path: Path) -> Iterator[PersonToFile]:
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                yield person_from_row(row)
            except (ValueError, TypeError, AttributeError) as exc:
                # The reason, never the values: a registry row is personal data.
                reason = str(exc) if isinstance(exc, ValueError) else "a column is malformed"
                print(f"line {line}: skipped ({reason})", file=sys.stderr)


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
