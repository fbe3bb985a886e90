"""Step 4: submit a draft (a new request, or the answer to an information request)."""

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import RequestData
from eventing.auth import Principal
from eventing.http import Transaction
from eventing.problems import Problem
from intake import repository, submission
from intake.api.common import (
    Caller,
    Clock,
    Employer,
    IdempotencyKey,
    StagedEvents,
    request_not_found,
)
from intake.api.drafts import open_draft, pages_of, references
from intake.api.problems import invalid
from intake.api.views import RequestView, replayed_view
from intake.domain import assemble, fingerprint, step_states
from intake.tables import Draft
from intake.tables import Request as RequestRow
from intake.validation import AddressStep, AmendmentSubmit, DocumentStep, PersonStep

router = APIRouter(tags=["drafts"])


@router.post("/drafts/{draft_id}/submit", status_code=201, response_model=RequestView)
async def submit(
    draft_id: UUID,
    body: AmendmentSubmit,
    principal: Caller,
    employer: Employer,
    key: IdempotencyKey,
    tx: Transaction,
    outbox: StagedEvents,
    clock: Clock,
    response: Response,
) -> RequestView:
    """Check completeness and the MID rule, then store and stage the event, once per key."""
    digest = fingerprint({"draft_id": str(draft_id), **body.model_dump(mode="json")})
    earlier = await submission.replayed(tx, employer=employer, key=key, fingerprint=digest)
    if earlier is not None:
        return replayed_view(earlier, response)
    draft = await open_draft(tx, draft_id, principal, for_update=True)
    data = await _complete_data(tx, draft)
    submission.refuse_unless_identifiable(data)
    row = await _store(
        tx,
        outbox,
        draft,
        body,
        principal=principal,
        data=data,
        key=key,
        fingerprint=digest,
        clock=clock,
    )
    draft.submitted_request_id, draft.updated_at = row.id, clock()
    await tx.flush()
    response.headers["Location"] = f"/requests/{row.id}"
    return RequestView.of(row)


async def _complete_data(tx: AsyncSession, draft: Draft) -> RequestData:
    """The request data, or 422 naming the steps still incomplete."""
    pages = await pages_of(tx, draft)
    states = step_states(draft.steps, page_count=sum(p.page_count for p in pages))
    incomplete = {name: list(state.missing) for name, state in states.items() if not state.complete}
    if incomplete:
        raise Problem(422, "draft.incomplete", "The draft is not complete.", steps=incomplete)
    _still_valid(draft.steps)
    return assemble(draft.steps, references(pages))


def _still_valid(steps: dict) -> None:
    """Check the saved steps again: a document valid when saved may have expired since."""
    errors = []
    steps_and_models = (
        ("document", DocumentStep),
        ("person", PersonStep),
        ("address", AddressStep),
    )
    for name, model in steps_and_models:
        try:
            model.model_validate(steps[name])
        except ValidationError as error:
            errors += [{**e, "loc": (name, *e["loc"])} for e in error.errors()]
    if errors:
        raise invalid(errors)


async def _store(
    tx: AsyncSession,
    outbox,
    draft: Draft,
    body: AmendmentSubmit,
    *,
    principal: Principal,
    data: RequestData,
    key: str,
    fingerprint: str,
    clock,
) -> RequestRow:
    if draft.amends_request_id is not None:
        row = await repository.load_request(
            tx, draft.amends_request_id, employer_id=draft.employer_id, for_update=True
        )
        if row is None:
            raise request_not_found()
        return await submission.resubmit(
            tx,
            outbox,
            row,
            principal=principal,
            data=data,
            key=key,
            fingerprint=fingerprint,
            now=clock(),
        )
    missing = [
        {"loc": (name,), "type": "missing"}
        for name in ("notification_email", "language")
        if getattr(body, name) is None
    ]
    if missing:
        raise invalid(missing)
    return await submission.create_request(
        tx,
        outbox,
        principal=principal,
        employer=draft.employer_id,
        data=data,
        email=body.notification_email,
        language=body.language,
        key=key,
        fingerprint=fingerprint,
        now=clock(),
    )
