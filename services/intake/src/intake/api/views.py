"""What the API answers: requests, drafts with per-step completeness, pages."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from contracts import RequestStatus
from contracts.codes import DEFAULT_REVIEW_DELAY_DAYS
from intake.domain import MidVerdict, StepState
from intake.tables import Document, Draft
from intake.tables import Request as RequestRow


class RequestView(BaseModel):
    id: UUID
    status: RequestStatus
    version: int
    ssin: str | None
    ssin_kind: str | None
    # What the last status change says: for information_requested, `missing` and `message`.
    outcome: dict
    data: dict
    submitted_at: datetime
    updated_at: datetime
    # Who may change it besides the admins (contracts.access.may_write).
    requester_id: str | None = None
    requester_name: str | None = None
    mandatary_id: str | None = None  # the secretariat that sent it for the employer, if any
    # While information is requested: the day it expires unanswered, and when we reminded.
    information_deadline: datetime | None = None
    reminded_at: datetime | None = None
    # While under research: the days the review queue expects (matching's median of similar cases).
    expected_delay_days: int | None = None

    @classmethod
    def of(cls, row: RequestRow, *, expiry: timedelta | None = None) -> "RequestView":
        waiting = row.status == RequestStatus.INFORMATION_REQUESTED.value and row.info_requested_at
        return cls(
            information_deadline=row.info_requested_at + expiry if waiting and expiry else None,
            reminded_at=row.reminded_at if waiting else None,
            expected_delay_days=(row.outcome or {}).get("expected_delay_days")
            or DEFAULT_REVIEW_DELAY_DAYS
            if row.status == RequestStatus.UNDER_REVIEW.value
            else None,
            id=row.id,
            requester_id=row.requester_id,
            requester_name=row.requester_name,
            mandatary_id=row.mandatary_id,
            status=RequestStatus(row.status),
            version=row.version,
            ssin=row.ssin,
            ssin_kind=row.ssin_kind,
            outcome=row.outcome or {},
            data=row.data,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
        )


class VersionView(BaseModel):
    version: int
    data: dict
    created_by: str
    created_at: datetime


class PageView(BaseModel):
    id: UUID
    media_type: str
    pages: int
    sha256: str
    size_bytes: int
    display_name: str | None
    href: str
    # The reading of its machine-readable zone, when the upload waited for it (see the draft).
    mrz: dict[str, Any] | None = None

    @classmethod
    def of(cls, row: Document) -> "PageView":
        return cls(
            id=row.id,
            media_type=row.media_type,
            pages=row.page_count,
            sha256=row.sha256,
            size_bytes=row.size_bytes,
            display_name=row.display_name,
            href=f"/documents/{row.id}",
        )


class StepView(BaseModel):
    complete: bool
    missing: list[str]
    data: dict[str, Any]


class DocumentStepView(StepView):
    pages: list[PageView]


class DuplicateWarning(BaseModel):
    code: str
    request_id: UUID
    status: RequestStatus
    href: str


class DraftSummary(BaseModel):
    """A draft in the author's list: who it is for, and the step to continue at."""

    id: UUID
    surnames: str | None
    given_names: str | None
    amends_request_id: UUID | None
    resume_at: str  # document | person | address | send
    updated_at: datetime

    @classmethod
    def of(cls, draft: Draft, states: dict[str, StepState]) -> "DraftSummary":
        person = draft.steps.get("person") or {}
        return cls(
            id=draft.id,
            surnames=person.get("surnames"),
            given_names=person.get("given_names"),
            amends_request_id=draft.amends_request_id,
            resume_at=next((name for name, s in states.items() if not s.complete), "send"),
            updated_at=draft.updated_at,
        )


class DraftView(BaseModel):
    id: UUID
    status: str  # open | submitted
    requester_id: str
    requester_name: str | None
    amends_request_id: UUID | None
    submitted_request_id: UUID | None
    steps: dict[str, StepView | DocumentStepView]
    minimum_data: dict[str, Any] | None
    ready: bool
    warnings: list[DuplicateWarning]
    # For an amendment: what the information request asks for.
    information_requested: dict[str, Any] | None = None
    # What the machine-readable zone of the pages says, pre-fills, and where the typed data differ.
    mrz: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


def replayed_view(row: RequestRow, response: Response) -> RequestView:
    """The answer to a retried submit: the request the first call made, marked as a replay."""
    response.status_code = 200
    response.headers["Idempotent-Replayed"] = "true"
    return RequestView.of(row)


def draft_view(
    draft: Draft,
    *,
    states: dict[str, StepState],
    pages: list[Document],
    verdict: MidVerdict | None,
    duplicates: list[RequestRow],
    asked: dict[str, Any] | None,
    mrz: dict[str, Any] | None = None,
) -> DraftView:
    """The draft as the wizard shows it."""
    steps: dict[str, StepView | DocumentStepView] = {
        name: StepView(
            complete=state.complete, missing=list(state.missing), data=draft.steps.get(name) or {}
        )
        for name, state in states.items()
    }
    document = steps["document"]
    steps["document"] = DocumentStepView(
        **document.model_dump(), pages=[PageView.of(p) for p in pages]
    )
    ready = all(s.complete for s in states.values()) and bool(verdict and verdict.met)
    return DraftView(
        id=draft.id,
        status="submitted" if draft.submitted_request_id else "open",
        requester_id=draft.requester_id,
        requester_name=draft.requester_name,
        amends_request_id=draft.amends_request_id,
        submitted_request_id=draft.submitted_request_id,
        steps=steps,
        ready=ready,
        information_requested=asked,
        mrz=mrz,
        minimum_data=verdict
        and {
            "met": verdict.met,
            "alternative": verdict.alternative,
            "missing": list(verdict.missing),
        },
        warnings=[
            DuplicateWarning(
                code="draft.possible_duplicate",
                request_id=r.id,
                status=RequestStatus(r.status),
                href=f"/requests/{r.id}",
            )
            for r in duplicates
        ],
        created_at=draft.created_at,
        updated_at=draft.updated_at,
    )
