"""The company-wide history: this employer's requests and each request's timeline."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from eventing.auth import CurrentPrincipal, employer_of
from eventing.problems import Problem
from history import repository

router = APIRouter(prefix="/history", tags=["history"])


class Summary(BaseModel):
    request_id: UUID
    worker_name: str | None
    requester_id: str | None
    requester_name: str | None
    submitted_at: datetime | None
    status: str | None
    ssin: str | None
    action_required: bool
    last_change_at: datetime


class Entry(BaseModel):
    event_id: UUID
    occurred_at: datetime
    kind: str
    actor: str
    details: dict


class Detail(Summary):
    timeline: list[Entry]


@router.get("/requests", response_model=list[Summary])
async def list_requests(principal: CurrentPrincipal, request: Request,
                        limit: int = Query(50, ge=1, le=200)) -> list[Summary]:
    employer = employer_of(principal)
    async with request.app.state.runtime.sessions() as tx:
        rows = await repository.load_summaries(tx, employer_id=employer, limit=limit)
    return [Summary.model_validate(row, from_attributes=True) for row in rows]


@router.get("/requests/{request_id}", response_model=Detail)
async def read_request(request_id: UUID, principal: CurrentPrincipal, request: Request) -> Detail:
    employer = employer_of(principal)
    async with request.app.state.runtime.sessions() as tx:
        summary, entries = await repository.load_request(tx, request_id, employer_id=employer)
    if summary is None:
        raise Problem(404, "request.not_found", "No such request.")
    base = Summary.model_validate(summary, from_attributes=True)
    return Detail(**base.model_dump(),
                  timeline=[Entry.model_validate(e, from_attributes=True) for e in entries])
