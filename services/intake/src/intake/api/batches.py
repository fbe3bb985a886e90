"""Bulk requests over HTTP: upload a CSV (with a column mapping) or a JSON batch, follow its
progress, and read the per-row result file in the caller's language."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import anyio
from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from eventing.db import transaction
from eventing.http import Transaction
from eventing.languages import best_language
from eventing.problems import Problem
from intake import batching
from intake.api.batch_files import parse_csv, result_csv, result_rows
from intake.api.common import Batches, Caller, Clock, Employer, Sessions
from intake.api.uploads import read_upload
from intake.documents import DocumentRefused, Limits
from intake.domain.batches import MAX_ROWS, content_key
from intake.tables import Batch

router = APIRouter(tags=["batches"])
MAX_BATCH_BYTES = 8 * 1024 * 1024  # 10,000 rows of ~400 bytes, with room


class JsonBatch(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")
    # Each item is the body of one POST /requests; it is validated row by row, like one.
    requests: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_ROWS)
    defaults: dict[str, str] = Field(default_factory=dict)


class BatchView(BaseModel):
    id: UUID
    status: str  # processing | done
    source: str
    total: int
    processed: int
    accepted: int
    refused: int
    requester_name: str | None
    created_at: datetime
    finished_at: datetime | None
    results_href: str

    @classmethod
    def of(cls, batch: Batch) -> BatchView:
        return cls(
            id=batch.id, status=batch.status, source=batch.source, total=batch.total,
            processed=batch.accepted + batch.refused, accepted=batch.accepted,
            refused=batch.refused, requester_name=batch.requester_name,
            created_at=batch.created_at, finished_at=batch.finished_at,
            results_href=f"/batches/{batch.id}/results",
        )  # fmt: skip


BatchKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=8, max_length=120)]


@router.post("/batches", status_code=202, response_model=BatchView)
async def upload(
    request: Request, principal: Caller, employer: Employer, sessions: Sessions, clock: Clock,
    batches: Batches, response: Response, key: BatchKey = None,
) -> BatchView:  # fmt: skip
    """A CSV (multipart `file`, optional `mapping` {field: column} and `defaults` as JSON query
    parameters) or a JSON batch; 202 at once, processed in the background."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        raw, bodies, mapping, source = await _json_batch(request)
    else:
        raw, bodies, mapping, source = await _csv_batch(request)
    batch_key = key or content_key(raw, json.dumps(mapping, sort_keys=True).encode())
    async with transaction(sessions) as tx:
        batch = await batching.save_batch(
            tx, principal=principal, employer=employer, key=batch_key, source=source,
            mapping=mapping, bodies=bodies, now=clock(),
        )  # fmt: skip
    batches.wake()
    response.headers["Location"] = f"/batches/{batch.id}"
    return BatchView.of(batch)


async def _json_batch(request: Request):
    raw = await _read(request)
    try:
        batch = JsonBatch.model_validate_json(raw)
    except ValueError:
        raise Problem(422, "batch.invalid", "This is not a batch of requests.") from None
    bodies = [{**batch.defaults, **body} for body in batch.requests]
    return raw, bodies, {}, "json"


async def _csv_batch(request: Request):
    raw = await _read(request)
    mapping = _json_param(request, "mapping")
    defaults = _json_param(request, "defaults")
    bodies = await anyio.to_thread.run_sync(lambda: parse_csv(raw, mapping, defaults))
    return raw, bodies, mapping, "csv"


async def _read(request: Request) -> bytes:
    try:
        return (await read_upload(request, Limits(max_bytes=MAX_BATCH_BYTES))).data
    except DocumentRefused:
        raise Problem(413, "batch.too_large", "The batch is too large.", max_mb=8) from None


def _json_param(request: Request, name: str) -> dict[str, str]:
    value = request.query_params.get(name)
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise Problem(422, "batch.mapping_invalid", "The mapping is {field: column}.")
    return parsed


@router.get("/batches", response_model=list[BatchView])
async def listing(employer: Employer, tx: Transaction) -> list[BatchView]:
    """The employer's 50 latest batches (every user of the employer reads them)."""
    rows = await tx.scalars(
        select(Batch).where(Batch.employer_id == employer)
        .order_by(Batch.created_at.desc()).limit(50)
    )  # fmt: skip
    return [BatchView.of(b) for b in rows]


async def _batch(tx, batch_id: UUID, employer: str) -> Batch:
    batch = await tx.scalar(
        select(Batch).where(Batch.id == batch_id, Batch.employer_id == employer)
    )
    if batch is None:
        raise Problem(404, "batch.not_found", "No such batch.")
    return batch


@router.get("/batches/{batch_id}", response_model=BatchView)
async def read(batch_id: UUID, employer: Employer, tx: Transaction) -> BatchView:
    """Counts while it runs: total, processed, accepted, refused."""
    return BatchView.of(await _batch(tx, batch_id, employer))


@router.get("/batches/{batch_id}/results")
async def results(
    batch_id: UUID, request: Request, employer: Employer, tx: Transaction,
    format: Annotated[str, Query(pattern="^(csv|json)$")] = "json",
    lang: Annotated[str | None, Query(pattern="^(fr|nl|de|en)$")] = None,
) -> Response:  # fmt: skip
    """Per row: accepted with its request id, refused with each field and reason, or pending."""
    language = lang or best_language(request.headers.get("accept-language"))
    await _batch(tx, batch_id, employer)
    rows = await batching.rows_of(tx, batch_id)
    table = result_rows(rows, language)
    if format == "json":
        return Response(json.dumps(table), media_type="application/json")
    return Response(
        result_csv(table, language),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}-results.csv"'},
    )
