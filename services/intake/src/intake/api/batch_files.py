"""A batch's files: the uploaded CSV (any delimiter Excel writes, UTF-8 with or without BOM)
read as request bodies, and the per-row result file in the user's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from eventing.problems import Problem
from intake.api.problems import readable_params
from intake.domain.batches import FIELDS, MAX_ROWS, body_of, mapped
from intake.texts import text

_HEADERS = {
    "fr": ("ligne", "statut", "demande", "champs", "raisons"),
    "nl": ("rij", "status", "aanvraag", "velden", "redenen"),
    "de": ("Zeile", "Status", "Antrag", "Felder", "Gründe"),
    "en": ("row", "status", "request", "fields", "reasons"),
}
_STATUS = {
    "accepted": {"fr": "acceptée", "nl": "aanvaard", "de": "angenommen", "en": "accepted"},
    "refused": {"fr": "refusée", "nl": "geweigerd", "de": "abgelehnt", "en": "refused"},
    "pending": {"fr": "en cours", "nl": "bezig", "de": "in Arbeit", "en": "pending"},
}


def parse_csv(raw: bytes, mapping: Mapping[str, str], defaults: Mapping[str, str]) -> list[dict]:
    """The request bodies of a CSV's rows; 422 for a file that is no usable CSV."""
    data = raw  # the file part already, when it came as multipart (read_upload)
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise Problem(422, "batch.mapping_invalid", "The mapping names unknown fields.",
                      fields=sorted(unknown))  # fmt: skip
    try:
        textual = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(422, "batch.encoding", "The file must be UTF-8.") from None
    reader = csv.DictReader(io.StringIO(textual, newline=""), dialect=_dialect(textual))
    headers = set(reader.fieldnames or ())
    if not headers & (set(mapping.values()) | set(FIELDS)):
        raise Problem(422, "batch.no_columns", "No column of the file is mapped to a field.")
    bodies = []
    for record in reader:
        if len(bodies) == MAX_ROWS:
            raise Problem(422, "batch.too_many_rows", "At most 10,000 rows.", max_rows=MAX_ROWS)
        if any((v or "").strip() for v in record.values() if isinstance(v, str)):
            bodies.append(body_of(mapped(_cells(record), mapping), defaults))
    if not bodies:
        raise Problem(422, "batch.empty", "The file has no rows.")
    return bodies


def _cells(record: dict) -> dict[str, str]:
    return {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample[:4096].split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def result_rows(rows: Sequence, language: str) -> list[dict]:
    """Per row: its status, its request id, or each field and reason (translated)."""
    table = []
    for row in rows:
        errors = [
            {"field": e["field"], "code": e["code"],
             "message": text(e["code"], language, **readable_params(e.get("params") or {}, language))}
            for e in row.errors or []
        ]  # fmt: skip
        table.append({
            "row": row.row_number, "status": row.status,
            "request_id": str(row.request_id) if row.request_id else None, "errors": errors,
        })  # fmt: skip
    return table


def result_csv(table: list[dict], language: str) -> bytes:
    """The result file as CSV (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_HEADERS[language])
    for row in table:
        writer.writerow([
            row["row"], _STATUS[row["status"]][language], row["request_id"] or "",
            " | ".join(e["field"] for e in row["errors"]),
            " | ".join(e["message"] for e in row["errors"]),
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()


__all__ = ["parse_csv", "result_csv", "result_rows"]
