"""`python -m matching.match_file IN.csv OUT.csv --map surnames=col,given_names=col,...`:
match every row of a CSV against the registry with the service's engine and thresholds.

Fields: surnames, given_names, sex, birth_date, birth_place, birth_country, nationality,
document_type, document_number, document_country, residence_street, residence_number,
residence_postal_code, residence_city, residence_country. Each output row holds the input row,
the decision, the best candidates (ssin:weight) and the explanation as JSON. A malformed row
(an impossible date, say) is written with decision `skipped` and its reason, reported on stderr
with its line, and the run goes on.
"""

import argparse
import asyncio
import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from contracts.codes import PERSON_FIELDS
from eventing.db import make_engine, make_sessions
from matching.config import MatchingSettings
from matching.domain import (
    NeedsInformation,
    NeedsReview,
    NewPerson,
    Person,
    SamePerson,
    Thresholds,
    Verdict,
    explain,
)
from matching.domain.address import Address
from matching.domain.keys import birth_parts
from matching.service import Matching
from matching.tools.loading import database_dsn

FIELDS = (
    *PERSON_FIELDS,
    "document_type",
    "document_number",
    "document_country",
    "residence_street",
    "residence_number",
    "residence_postal_code",
    "residence_city",
    "residence_country",
)
RESIDENCE = ("street", "number", "postal_code", "city", "country")
ALIASES = {"surname": "surnames", "given_name": "given_names", "first_names": "given_names"}


def parse_map(text: str) -> dict[str, str]:
    """ "surname=Nom,birth_date=Né le" → {"surnames": "Nom", "birth_date": "Né le"}."""
    mapping = {}
    for pair in filter(None, text.split(",")):
        field, _, column = pair.partition("=")
        field = ALIASES.get(field.strip(), field.strip())
        if field not in FIELDS or not column:
            raise SystemExit(f"unknown field in --map: {field!r} (known: {', '.join(FIELDS)})")
        mapping[field] = column.strip()
    return mapping


def person_from(row: dict[str, str], mapping: dict[str, str]) -> Person:
    """One CSV row as the matcher compares it; ValueError (naming the field) when malformed."""
    value = {f: (row.get(col) or "").strip() or None for f, col in mapping.items()}
    home = {part: value.pop(f"residence_{part}", None) for part in RESIDENCE}
    residence = (home["country"] or "").upper()
    if residence and (len(residence) != 2 or not residence.isalpha()):
        raise ValueError("residence_country must be a two-letter country code")
    if value.get("birth_date") and birth_parts(value["birth_date"]) is None:
        raise ValueError("birth_date must be a real YYYY, YYYY-MM or YYYY-MM-DD date")
    sex = (value.pop("sex", None) or "unknown").lower()
    names = {"surnames": value.pop("surnames", None), "given_names": value.pop("given_names", None)}
    if not (names["surnames"] or names["given_names"]):
        raise ValueError("a name is required (surnames or given_names)")
    return Person(
        **{k: v for k, v in value.items() if v is not None},
        surnames=names["surnames"] or "",
        given_names=names["given_names"] or "",
        sex={"m": "male", "f": "female"}.get(sex[:1], "unknown"),
        has_foreign_residence=bool(residence) and residence != "BE",
        has_belgian_contact_address=residence == "BE",
        addresses=(Address(**home | {"country": residence or None}),) if any(home.values()) else (),
    )


def outcome(verdict: Verdict) -> tuple[str, str | None]:
    """The decision in words, and the number it points to."""
    d = verdict.decision
    if isinstance(d, SamePerson):
        return "same_person", verdict.entry(d.candidate_id).ssin
    if isinstance(d, NeedsReview):
        return f"review:{d.reason}", None
    if isinstance(d, NewPerson):
        return "new_person", None
    assert isinstance(d, NeedsInformation)
    return "information_missing:" + "+".join(d.missing), None


async def match_file(
    source: Path, target: Path, mapping: dict[str, str], *, database_url: str | None = None
) -> tuple[int, int]:
    """Decide every row of `source` into `target`; (rows matched, rows skipped)."""
    thresholds = _thresholds()
    engine = make_engine(
        database_dsn(database_url).replace("postgresql://", "postgresql+asyncpg://")
    )
    sessions, matcher, counts = make_sessions(engine), Matching(thresholds), [0, 0]
    try:
        with (
            source.open(newline="", encoding="utf-8") as inp,
            target.open("w", newline="", encoding="utf-8") as out,
        ):
            reader = csv.DictReader(inp)
            writer = csv.DictWriter(out, [*(reader.fieldnames or []), *OUTPUT])
            writer.writeheader()
            for line, row in enumerate(reader, start=2):
                try:
                    person = person_from(row, mapping)
                except ValueError as exc:
                    # The reason and the line, never the row's values (personal data).
                    print(f"line {line}: skipped ({exc})", file=sys.stderr)
                    writer.writerow({**row, "decision": "skipped", "explanation": str(exc)})
                    counts[1] += 1
                    continue
                async with sessions.begin() as tx:
                    verdict = await matcher.judge(tx, person)
                writer.writerow({**row, **result_columns(verdict, thresholds)})
                counts[0] += 1
    finally:
        await engine.dispose()
    return counts[0], counts[1]


OUTPUT = ("decision", "ssin", "candidates", "explanation")


def result_columns(verdict: Verdict, thresholds: Thresholds) -> dict[str, str]:
    decision, ssin = outcome(verdict)
    best = " ".join(f"{verdict.entry(s.candidate_id).ssin}:{s.weight}" for s in verdict.scored[:3])
    explanation = json.dumps(explain(verdict, thresholds, rule=decision))
    return {
        "decision": decision,
        "ssin": ssin or "",
        "candidates": best,
        "explanation": explanation,
    }


def _thresholds() -> Thresholds:
    """The service's thresholds: MATCHING_AUTO_MATCH, MATCHING_MARGIN, MATCHING_REVIEW."""
    fields = MatchingSettings.model_fields
    return Thresholds(
        **{
            name: float(os.environ.get(f"MATCHING_{name.upper()}", fields[name].default))
            for name in ("auto_match", "margin", "review")
        }
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--map", required=True, help="field=column,... (see above)")
    parser.add_argument("--database-url", help="default: MATCHING_DATABASE_URL")
    args = parser.parse_args(argv)
    matched, skipped = asyncio.run(
        match_file(args.source, args.target, parse_map(args.map), database_url=args.database_url)
    )
    print(f"matched {matched:,} rows into {args.target}; skipped {skipped:,} malformed rows")


if __name__ == "__main__":
    main()
