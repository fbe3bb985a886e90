"""intake's HTTP API: submit, read and cancel requests."""

import zlib
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Language, RequestCancelled, RequestData, RequestStatus, RequestSubmitted
from eventing.auth import CurrentPrincipal, employer_of
from eventing.db import transaction
from eventing.outbox import Outbox
from eventing.problems import Problem
from intake import repository
from intake.domain import Lifecycle, fingerprint
from intake.tables import Request as RequestRow

router = APIRouter(tags=["requests"])
IdempotencyKeyHeader = Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=200)]


class SubmitRequest(RequestData):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="forbid")

    notification_email: EmailStr
    language: Language


class RequestView(BaseModel):
    id: UUID
    status: RequestStatus
    version: int
    ssin: str | None
    ssin_kind: str | None
    outcome: dict
    submitted_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: RequestRow) -> "RequestView":
        return cls(id=row.id, status=RequestStatus(row.status), version=row.version, ssin=row.ssin,
                   ssin_kind=row.ssin_kind, outcome=row.outcome or {},
                   submitted_at=row.submitted_at, updated_at=row.updated_at)


class CancelRequest(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")
    reason: str | None = None


def _unit(request: Request) -> tuple[AsyncSession, Outbox]:
    runtime = request.app.state.runtime
    return transaction(runtime.sessions), runtime.outbox


@router.post("/requests", status_code=201, response_model=RequestView)
async def submit(body: SubmitRequest, principal: CurrentPrincipal, request: Request,
                 response: Response, idempotency_key: IdempotencyKeyHeader) -> RequestView:
    """Store the request and stage RequestSubmitted; a retry with the same key returns the same one."""
    employer = employer_of(principal)
    unit, outbox = _unit(request)
    payload = body.model_dump(mode="json")
    async with unit as tx:
        # Serialise concurrent retries of one key: the second waits, then finds the first.
        await tx.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"{employer}:{idempotency_key}".encode()))))
        known = await repository.load_idempotency_key(tx, employer_id=employer, key=idempotency_key)
        if known is not None:
            if known.fingerprint != fingerprint(payload):
                raise Problem(422, "idempotency.key_reused",
                              "This Idempotency-Key was used for a different request.")
            response.status_code = 200
            response.headers["Idempotent-Replayed"] = "true"
            return RequestView.of(await repository.load_request(tx, known.request_id))
        row = _new_request(body, principal=principal, employer=employer)
        await repository.save_new_request(tx, row, key=idempotency_key, fingerprint=fingerprint(payload))
        await outbox.stage(tx, RequestSubmitted(
            producer="intake", request_id=row.id, employer_id=employer, request_version=1,
            requester_id=principal.subject, requester_name=principal.name,
            data=RequestData.model_validate(body.model_dump(include=set(RequestData.model_fields))),
            notification_email=body.notification_email, language=body.language))
        await tx.flush()
        await tx.refresh(row)
        response.headers["Location"] = f"/requests/{row.id}"
        return RequestView.of(row)


def _new_request(body: SubmitRequest, *, principal, employer: str) -> RequestRow:
    now = datetime.now(UTC)
    return RequestRow(
        id=uuid4(), employer_id=employer, requester_id=principal.subject,
        requester_name=principal.name, status=RequestStatus.SUBMITTED.value, version=1,
        data=body.model_dump(mode="json", include=set(RequestData.model_fields)),
        notification_email=body.notification_email, language=body.language, outcome={},
        submitted_at=now, updated_at=now)


@router.get("/requests/{request_id}", response_model=RequestView)
async def read(request_id: UUID, principal: CurrentPrincipal, request: Request) -> RequestView:
    employer = employer_of(principal)
    async with request.app.state.runtime.sessions() as tx:
        row = await repository.load_request(tx, request_id, employer_id=employer)
    if row is None:
        raise Problem(404, "request.not_found", "No such request.")
    return RequestView.of(row)


@router.post("/requests/{request_id}/cancel", response_model=RequestView)
async def cancel(request_id: UUID, principal: CurrentPrincipal, request: Request,
                 body: CancelRequest | None = None) -> RequestView:
    """Cancel while not final; stages RequestCancelled."""
    employer = employer_of(principal)
    unit, outbox = _unit(request)
    async with unit as tx:
        row = await repository.load_request(tx, request_id, employer_id=employer, for_update=True)
        if row is None:
            raise Problem(404, "request.not_found", "No such request.")
        state = Lifecycle(RequestStatus(row.status), row.version)
        if not state.cancellable:
            raise Problem(409, "request.not_cancellable", "A final request cannot be cancelled.",
                          status_now=row.status)
        row.status, row.updated_at = RequestStatus.CANCELLED.value, datetime.now(UTC)
        row.outcome = {"code": "cancelled"}
        await outbox.stage(tx, RequestCancelled(
            producer="intake", request_id=row.id, employer_id=employer, request_version=row.version,
            cancelled_by=principal.subject, reason=body.reason if body else None))
        return RequestView.of(row)
