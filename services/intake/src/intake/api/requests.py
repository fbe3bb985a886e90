"""Requests: submit in one body, read, list versions, cancel, and answer an information request."""

import asyncio
import contextlib
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from contracts import FINAL_STATUSES, RequestCancelled, RequestData, RequestStatus
from contracts.bounds import Paragraph
from eventing import correlation
from eventing.http import Transaction
from eventing.problems import Problem
from intake import repository, submission
from intake.api.common import (
    Caller,
    Changes,
    Clock,
    Employer,
    IdempotencyKey,
    Sessions,
    Settings,
    StagedEvents,
    refuse_unless_writer,
    request_not_found,
)
from intake.api.drafts import read_back
from intake.api.views import DraftView, RequestView, VersionView, replayed_view
from intake.domain import Lifecycle, steps_of
from intake.status_watch import MAX_WAIT_S
from intake.tables import Draft
from intake.validation import DirectSubmit

router = APIRouter(tags=["requests"])


class CancelRequest(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")
    reason: Paragraph | None = Field(default=None, max_length=500)


@router.post("/requests", status_code=201, response_model=RequestView)
async def submit(
    body: DirectSubmit,
    principal: Caller,
    employer: Employer,
    key: IdempotencyKey,
    tx: Transaction,
    outbox: StagedEvents,
    clock: Clock,
    response: Response,
) -> RequestView:
    """A whole request in one body (no scans); a retry with the same key returns the same one."""
    row, replay = await submission.submit_direct(
        tx, outbox, body, principal=principal, employer=employer, key=key, now=clock()
    )
    if replay:
        return replayed_view(row, response)
    await tx.flush()
    response.headers["Location"] = f"/requests/{row.id}"
    return RequestView.of(row)


@router.get("/requests/{request_id}", response_model=RequestView)
async def read(
    request_id: UUID,
    employer: Employer,
    sessions: Sessions,
    settings: Settings,
    changes: Changes,
    wait: Annotated[
        float | None,
        Query(
            ge=0,
            le=MAX_WAIT_S,
            description="Long poll: wait up to this many seconds for the status to change "
            "(from `status`, or from the status at the call), then answer.",
        ),
    ] = None,
    status: Annotated[
        RequestStatus | None, Query(description="The status the caller last saw (with wait).")
    ] = None,
) -> RequestView:
    if not wait:
        return RequestView.of(
            await _read(sessions, request_id, employer), expiry=settings.info_expiry
        )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    # Watching before reading: a change between the read and the wait is not missed.
    with changes.watching(request_id) as changed:
        row = await _read(sessions, request_id, employer)
        seen = status.value if status else row.status
        while row.status == seen and row.status not in FINAL and loop.time() < deadline:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    changed.wait(), timeout=changes.recheck_after(deadline - loop.time())
                )
            changed.clear()
            row = await _read(sessions, request_id, employer)
    return RequestView.of(row, expiry=settings.info_expiry)


FINAL = frozenset(s.value for s in FINAL_STATUSES)


async def _read(sessions, request_id: UUID, employer: str):
    async with sessions() as tx:
        row = await repository.load_request(tx, request_id, employer_id=employer)
    if row is None:
        raise request_not_found()
    return row


@router.get("/requests/{request_id}/versions", response_model=list[VersionView])
async def versions(request_id: UUID, employer: Employer, tx: Transaction) -> list[VersionView]:
    """Every version of the request data: the submitted one and each answer."""
    if await repository.load_request(tx, request_id, employer_id=employer) is None:
        raise request_not_found()
    rows = await repository.load_versions(tx, request_id)
    return [
        VersionView(
            version=r.version, data=r.data, created_by=r.created_by, created_at=r.created_at
        )
        for r in rows
    ]


@router.post("/requests/{request_id}/cancel", response_model=RequestView)
async def cancel(
    request_id: UUID,
    principal: Caller,
    employer: Employer,
    tx: Transaction,
    outbox: StagedEvents,
    clock: Clock,
    body: CancelRequest | None = None,
) -> RequestView:
    """Cancel while not final; stages RequestCancelled."""
    row = await repository.load_request(tx, request_id, employer_id=employer, for_update=True)
    if row is None:
        raise request_not_found()
    refuse_unless_writer(principal, requester_id=row.requester_id)
    if not Lifecycle(RequestStatus(row.status), row.version).cancellable:
        raise Problem(
            409,
            "request.not_cancellable",
            "A final request cannot be cancelled.",
            status_now=row.status,
        )
    now = clock()
    row.status, row.updated_at, row.finalised_at = RequestStatus.CANCELLED.value, now, now
    row.outcome = {"code": "cancelled", "by": principal.name or principal.subject}
    await outbox.stage(
        tx,
        RequestCancelled(
            producer="intake",
            correlation_id=correlation.current(),
            request_id=row.id,
            employer_id=employer,
            request_version=row.version,
            cancelled_by=principal.subject,
            cancelled_by_name=principal.name,
            reason=body.reason if body else None,
        ),
    )
    return RequestView.of(row)


@router.post("/requests/{request_id}/amendment", status_code=201, response_model=DraftView)
async def amend(
    request_id: UUID,
    principal: Caller,
    employer: Employer,
    tx: Transaction,
    clock: Clock,
    response: Response,
) -> DraftView:
    """A draft holding the request's current data, to correct and resubmit (one open at a time)."""
    row = await repository.load_request(tx, request_id, employer_id=employer, for_update=True)
    if row is None:
        raise request_not_found()
    refuse_unless_writer(principal, requester_id=row.requester_id)
    submission.refuse_unless_awaiting_information(row)
    draft = await repository.load_open_amendment(tx, request_id)
    if draft is not None and draft.requester_id != principal.subject:
        # The colleague's answer is a draft of hers, and drafts are private.
        raise Problem(
            409,
            "request.answer_in_progress",
            "A colleague is answering this request already.",
            by=draft.requester_name,
        )
    if draft is None:
        draft = _amendment(row, principal=principal, now=clock())
        tx.add(draft)
        await tx.flush()
    else:
        response.status_code = 200
    response.headers["Location"] = f"/drafts/{draft.id}"
    return await read_back(tx, draft)


def _amendment(row, *, principal, now) -> Draft:
    data = RequestData.model_validate(row.data)
    return Draft(
        id=uuid4(),
        employer_id=row.employer_id,
        requester_id=principal.subject,
        requester_name=principal.name,
        amends_request_id=row.id,
        steps=steps_of(data),
        pages=[str(d.document_id) for d in data.documents],
        created_at=now,
        updated_at=now,
    )
