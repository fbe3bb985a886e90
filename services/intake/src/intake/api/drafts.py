"""The wizard: a draft filled step by step, read back with its completeness, then submitted."""

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import DocumentRef
from contracts.access import may_use_draft
from eventing.auth import Principal, employer_of
from eventing.http import Transaction
from eventing.problems import Problem
from intake import repository
from intake.api.common import Caller, Clock, Employer, draft_not_found
from intake.api.mrz import mrz_of_pages
from intake.api.views import DraftSummary, DraftView, draft_view
from intake.domain import assemble, check_minimum_data, person_key, step_states
from intake.tables import Document, Draft
from intake.validation import AddressStep, DocumentStep, PersonStep

router = APIRouter(tags=["drafts"])


@router.post("/drafts", status_code=201, response_model=DraftView)
async def create(
    principal: Caller, employer: Employer, tx: Transaction, clock: Clock, response: Response
) -> DraftView:
    """A new, empty draft of this employer; the requester is recorded."""
    now = clock()
    draft = Draft(
        id=uuid4(),
        employer_id=employer,
        requester_id=principal.subject,
        requester_name=principal.name,
        steps={},
        pages=[],
        created_at=now,
        updated_at=now,
    )
    tx.add(draft)
    await tx.flush()
    response.headers["Location"] = f"/drafts/{draft.id}"
    return await read_back(tx, draft)


@router.get("/drafts", response_model=list[DraftSummary])
async def list_mine(principal: Caller, employer: Employer, tx: Transaction) -> list[DraftSummary]:
    """The caller's drafts not sent yet, with the step each stopped at (drafts are private)."""
    drafts = await repository.load_open_drafts(
        tx, employer_id=employer, requester_id=principal.subject
    )
    # Every page is at least one page: the count of ids is enough to say whether any is there.
    return [DraftSummary.of(d, step_states(d.steps, page_count=len(d.pages))) for d in drafts]


@router.get("/drafts/{draft_id}", response_model=DraftView)
async def read(draft_id: UUID, principal: Caller, tx: Transaction, clock: Clock) -> DraftView:
    """The draft with each step's completeness, the MID verdict, duplicate warnings and the MRZ."""
    draft = await open_draft(tx, draft_id, principal, editable=False)
    return await read_back(tx, draft, today=clock().date())


@router.delete("/drafts/{draft_id}", status_code=204)
async def delete(draft_id: UUID, principal: Caller, tx: Transaction) -> Response:
    """Delete the draft and the scans uploaded to it that no request holds."""
    draft = await open_draft(tx, draft_id, principal, editable=False)
    await repository.delete_loose_documents(tx, draft.pages)
    await tx.delete(draft)
    return Response(status_code=204)


@router.put("/drafts/{draft_id}/document", response_model=DraftView)
async def save_document_step(
    draft_id: UUID, body: DocumentStep, principal: Caller, tx: Transaction, clock: Clock
) -> DraftView:
    """Step 1: the document type and its issuing country (pages are uploaded apart)."""
    return await _save_step(tx, draft_id, principal, "document", body.model_dump(), clock)


@router.put("/drafts/{draft_id}/person", response_model=DraftView)
async def save_person_step(
    draft_id: UUID, body: PersonStep, principal: Caller, tx: Transaction, clock: Clock
) -> DraftView:
    """Step 2: the person as written on the document."""
    return await _save_step(
        tx,
        draft_id,
        principal,
        "person",
        body.model_dump(mode="json", exclude_none=True),
        clock,
    )


@router.put("/drafts/{draft_id}/address", response_model=DraftView)
async def save_address_step(
    draft_id: UUID, body: AddressStep, principal: Caller, tx: Transaction, clock: Clock
) -> DraftView:
    """Step 3: the residence, a Belgian contact address when abroad, a known INSZ/NISS."""
    return await _save_step(
        tx,
        draft_id,
        principal,
        "address",
        body.model_dump(mode="json", exclude_none=True),
        clock,
    )


async def _save_step(
    tx: AsyncSession, draft_id: UUID, author: Principal, name: str, data: dict[str, Any], clock
) -> DraftView:
    draft = await open_draft(tx, draft_id, author, for_update=True)
    draft.steps = {**draft.steps, name: data}
    draft.updated_at = clock()
    await tx.flush()
    return await read_back(tx, draft)


async def open_draft(
    tx: AsyncSession,
    draft_id: UUID,
    author: Principal,
    *,
    editable: bool = True,
    for_update: bool = False,
) -> Draft:
    """The caller's own draft; 404 for anyone else's (a colleague's too: drafts are private),
    409 when editing a submitted one."""
    employer = employer_of(author)
    draft = await repository.load_draft(tx, draft_id, employer_id=employer, for_update=for_update)
    if draft is None or not may_use_draft(
        author.roles, author.subject, author_id=draft.requester_id
    ):
        raise draft_not_found()
    if editable and draft.submitted_request_id is not None:
        raise Problem(
            409,
            "draft.already_submitted",
            "This draft has already been submitted.",
            request_id=str(draft.submitted_request_id),
        )
    return draft


async def pages_of(tx: AsyncSession, draft: Draft) -> list[Document]:
    """The draft's documents in page order."""
    found = await repository.load_documents(tx, draft.pages, employer_id=draft.employer_id)
    return [found[UUID(i)] for i in draft.pages if UUID(i) in found]


def references(pages: list[Document]) -> list[DocumentRef]:
    """Claim checks for the event: ids and hashes, never bytes."""
    return [
        DocumentRef(document_id=p.id, sha256=p.sha256, media_type=p.media_type, pages=p.page_count)
        for p in pages
    ]


async def read_back(tx: AsyncSession, draft: Draft, *, today: date | None = None) -> DraftView:
    pages = await pages_of(tx, draft)
    states = step_states(draft.steps, page_count=sum(p.page_count for p in pages))
    person = draft.steps.get("person") or {}
    verdict = None
    if person and draft.steps.get("address"):
        verdict = check_minimum_data(assemble(draft.steps, references(pages)))
    key = person_key(person.get("surnames"), person.get("given_names"), person.get("birth_date"))
    duplicates = (
        []
        if key is None
        else [
            r
            for r in await repository.load_same_person(
                tx, employer_id=draft.employer_id, person_key=key
            )
            if r.id not in (draft.amends_request_id, draft.submitted_request_id)
        ]
    )
    asked = None
    if draft.amends_request_id and not draft.submitted_request_id:
        amended = await repository.load_request(tx, draft.amends_request_id)
        asked = amended.outcome if amended else None
    mrz = await mrz_of_pages(tx, draft.pages, draft.steps, today=today or date.today())
    return draft_view(
        draft,
        states=states,
        pages=pages,
        verdict=verdict,
        duplicates=duplicates,
        asked=asked,
        mrz=mrz.model_dump(mode="json"),
    )
