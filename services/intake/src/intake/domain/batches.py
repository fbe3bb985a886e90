"""Bulk requests, pure: a flat row (CSV columns) as the body of one POST /requests, and back.

A batch row is validated by the very models of a single request (intake.validation.DirectSubmit);
this module only maps flat column names to that body's paths, so an error on `person.birth_date`
is reported on the user's own column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

MAX_ROWS = 10_000
_PERSON = ("surnames", "given_names", "sex", "birth_date", "birth_place", "birth_country",
           "nationality")  # fmt: skip
_DOCUMENT = {"document_type": "type", "document_number": "number",
             "document_issuing_country": "issuing_country",
             "document_expiry_date": "expiry_date"}  # fmt: skip
_ADDRESS = ("street", "number", "box", "postal_code", "city", "country")
# Every flat field and its path in the body of POST /requests.
PATHS: dict[str, tuple[str, ...]] = {
    **{name: ("person", name) for name in _PERSON},
    **{flat: ("person", "document", name) for flat, name in _DOCUMENT.items()},
    **{f"residence_{name}": ("residence", name) for name in _ADDRESS},
    **{f"contact_{name}": ("contact_address", name) for name in _ADDRESS},
    "claimed_ssin": ("claimed_ssin",),
    "notification_email": ("notification_email",),
    "language": ("language",),
}
FIELDS = tuple(PATHS)
_BY_PATH = {path: flat for flat, path in PATHS.items()}


def body_of(row: Mapping[str, str | None], defaults: Mapping[str, str] | None = None) -> dict:
    """The nested body of one request from a flat row; empty cells are absent, not empty."""
    body: dict[str, Any] = {}
    for flat, value in {**(defaults or {}), **row}.items():
        if flat not in PATHS or value is None or not str(value).strip():
            continue
        target = body
        *parents, leaf = PATHS[flat]
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = str(value).strip()
    return body


def flat_field(loc: tuple, mapping: Mapping[str, str] | None = None) -> str:
    """The user's column for an error's path in the body (its flat name when not mapped)."""
    path = tuple(str(p) for p in loc if p != "body")
    for end in range(len(path), 0, -1):
        flat = _BY_PATH.get(path[:end])
        if flat is not None:
            return (mapping or {}).get(flat, flat)
    return ".".join(path) or "row"


def mapped(record: Mapping[str, str], mapping: Mapping[str, str]) -> dict[str, str]:
    """A CSV record (its own headers) as flat fields: mapping is {field: header}, the rest by name."""
    by_header = {header: field for field, header in mapping.items()}
    out = {}
    for header, value in record.items():
        field = by_header.get(header, header if header in PATHS else None)
        if field is not None:
            out[field] = value
    return out


def row_key(batch_key: str, row_number: int) -> str:
    """The Idempotency-Key of a batch's row: the same batch and row never make two requests."""
    return f"batch:{batch_key}:{row_number}"


def content_key(*parts: bytes) -> str:
    """A batch's key when the caller gave none: the hash of what was uploaded."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return f"sha256-{digest.hexdigest()[:48]}"
