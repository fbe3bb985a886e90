"""What the machine-readable zone of a draft's or request's scans says, beside what was typed."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import RequestData
from eventing.auth import employer_of
from eventing.http import Transaction
from intake import repository
from intake.api.common import Caller, Clock, request_not_found
from intake.domain import steps_of
from intake.mrz import store
from intake.mrz.fields import differences, prefill
from intake.tables import DocumentReading

router = APIRouter(tags=["mrz"])
# Best first: a zone whose check digits hold, then one read at all, then still waiting.
_RANK = {"read": 0, "pending": 1, "no_zone": 2, "failed": 3, "unavailable": 4}


class MrzView(BaseModel):
    """The reading of the draft's or request's best page (none: no scan was read)."""

    status: str  # none | pending | read | no_zone | failed | unavailable
    document_id: UUID | None = None
    format: str | None = None  # td1 | td3
    valid: bool | None = None  # every check digit holds
    checks: dict[str, bool] = {}
    repaired: list[str] = []  # fields a check digit repaired (one character): to confirm
    # Fields no check digit covers (the names) that the scan itself disputes: to confirm.
    unsure: list[str] = []
    # Check digits valid as read, nothing repaired, nothing disputed: safe to pre-fill silently.
    trusted: bool | None = None
    prefill: dict[str, dict[str, Any]] = {}  # {"document": {...}, "person": {...}}
    differences: list[str] = []  # fields typed otherwise than the zone says


def mrz_view(readings, steps: dict[str, Any], *, today: date) -> MrzView:
    """The best reading among a draft's pages, with what it pre-fills and what differs."""
    if not readings:
        return MrzView(status="none")
    best: DocumentReading = min(readings, key=_rank)
    zone = store.zone_of(best)
    if zone is None:
        return MrzView(status=best.status, document_id=best.document_id)
    return MrzView(
        status="read",
        document_id=best.document_id,
        format=zone.format,
        valid=zone.valid,
        checks=zone.checks,
        repaired=list(zone.repaired),
        unsure=list(zone.unsure),
        trusted=zone.trusted,
        prefill=prefill(zone, today=today),
        differences=differences(zone, steps, today=today),
    )


def _rank(reading: DocumentReading) -> tuple[int, int]:
    checks = reading.checks or {}
    return _RANK.get(reading.status, 9), -sum(bool(v) for v in checks.values())


async def mrz_of_pages(
    tx: AsyncSession, page_ids, steps: dict[str, Any], *, today: date
) -> MrzView:
    return mrz_view(await store.load_readings(tx, page_ids), steps, today=today)


@router.get("/requests/{request_id}/mrz", response_model=MrzView)
async def of_request(request_id: UUID, principal: Caller, tx: Transaction, clock: Clock) -> MrzView:
    """The zone of the request's scans beside its current data: for its employer, and for an
    agent while the request is researched (as its scans are)."""
    if principal.roles == {"agent"}:
        row = await repository.load_request(tx, request_id)
        if row is not None and row.status not in repository.RESEARCHED:
            row = None
    else:
        row = await repository.load_request(tx, request_id, employer_id=employer_of(principal))
    if row is None:
        raise request_not_found()
    data = RequestData.model_validate(row.data)
    ids = [d.document_id for d in data.documents]
    return await mrz_of_pages(tx, ids, steps_of(data), today=clock().date())
