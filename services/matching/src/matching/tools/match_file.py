"""`python -m matching.match_file IN.csv OUT.csv --map surnames=col,given_names=col,...`:
match every row of a CSV against the registry with the service's engine and thresholds.

Fields: surnames, given_names, sex, birth_date, birth_place, birth_country, nationality,
document_type, document_number, document_country, residence_country. Each output row holds the
input row, the decision, the best candidates (ssin:weight) and the explanation as JSON.
"""

import argparse
import asyncio
import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

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
from matching.service import Matching
from matching.tools.loading import database_dsn

FIELDS = (
    "surnames",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
    "document_type",
    "document_number",
    "document_country",
    "residence_country",
)
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
    value = {f: (row.get(col) or "").strip() or None for f, col in mapping.items()}
    residence = (value.pop("residence_country", None) or "").upper()
    sex = (value.pop("sex", None) or "unknown").lower()
    return Person(
        **{
            k: v for k, v in value.items() if v is not None and k not in ("surnames", "given_names")
        },
        surnames=value.get("surnames") or "",
        given_names=value.get("given_names") or "",
        sex={"m": "male", "f": "female"}.get(sex[:1], "unknown"),
        has_foreign_residence=bool(residence) and residence != "BE",
        has_belgian_contact_address=residence == "BE",
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
) -> int:
    thresholds = _thresholds()
    engine = make_engine(
        database_dsn(database_url).replace("postgresql://", "postgresql+asyncpg://")
    )
    sessions, matcher, count = make_sessions(engine), Matching(thresholds), 0
    try:
        with (
            source.open(newline="", encoding="utf-8") as inp,
            target.open("w", newline="", encoding="utf-8") as out,
        ):
            reader = csv.DictReader(inp)
            writer = csv.DictWriter(
                out, [*(reader.fieldnames or []), "decision", "ssin", "candidates", "explanation"]
            )
            writer.writeheader()
            for row in reader:
                async with sessions.begin() as tx:
                    verdict = await matcher.judge(tx, person_from(row, mapping))
                decision, ssin = outcome(verdict)
                best = " ".join(
                    f"{verdict.entry(s.candidate_id).ssin}:{s.weight}" for s in verdict.scored[:3]
                )
                explanation = json.dumps(explain(verdict, thresholds, rule=decision))
                writer.writerow(
                    {
                        **row,
                        "decision": decision,
                        "ssin": ssin or "",
                        "candidates": best,
                        "explanation": explanation,
                    }
                )
                count += 1
    finally:
        await engine.dispose()
    return count


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
    count = asyncio.run(
        match_file(args.source, args.target, parse_map(args.map), database_url=args.database_url)
    )
    print(f"matched {count:,} rows into {args.target}")


if __name__ == "__main__":
    main()
