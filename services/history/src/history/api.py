"""The company-wide history: this employer's requests and each request's timeline.

The employer always comes from the token; another employer's request does not exist here (404).
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from contracts.bounds import Day, Line
from eventing.auth import CurrentPrincipal, employer_of
from eventing.http import Transaction
from eventing.languages import best_language as language_of
from eventing.parts import Part
from eventing.problems import Problem
from history import listing, repository
from history.texts import describe

router = APIRouter(prefix="/history", tags=["history"])
# Signs the list's cursors (HistorySettings.cursor_key), so a client cannot forge a position.
CURSOR_KEY: Part[bytes] = Part("cursor key")
CursorKey = Annotated[bytes, Depends(CURSOR_KEY)]


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


class SummaryPage(BaseModel):
    items: list[Summary]
    next_cursor: str | None


class StatusCounts(BaseModel):
    counts: dict[str, int]
    total: int


class Entry(BaseModel):
    event_id: UUID
    occurred_at: datetime
    kind: str
    actor: str
    text: str
    details: dict


class Detail(Summary):
    timeline: list[Entry]


_DAY = "Brussels calendar day, inclusive."


def _filters(
    principal: CurrentPrincipal,
    status: Annotated[list[str], Query(description="Repeat for several statuses.")] = [],  # noqa: B006
    requester: Annotated[Line | None, Query(max_length=200)] = None,
    mine: Annotated[bool, Query(description="Only the caller's own requests.")] = False,
    submitted_from: Annotated[Day | None, Query(description=_DAY)] = None,
    submitted_to: Annotated[Day | None, Query(description=_DAY)] = None,
    action_required: bool | None = None,
    q: Annotated[
        Line | None, Query(max_length=200, description="Worker's name, any words.")
    ] = None,
) -> listing.Filters:
    return listing.Filters(
        statuses=listing.parse_statuses(status),
        requester_id=principal.subject if mine else requester,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        action_required=action_required,
        search=q,
    )


ListFilters = Annotated[listing.Filters, Depends(_filters)]


class Search(BaseModel):
    """The list's filters in a body: names typed in a search stay out of URLs and access logs."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    status: list[str] = Field(default_factory=list, max_length=10)
    requester: Line | None = Field(default=None, max_length=200)
    mine: bool = False
    submitted_from: Day | None = None
    submitted_to: Day | None = None
    action_required: bool | None = None
    q: Line | None = Field(default=None, max_length=200, description="Worker's name, any words.")
    sort: str = "last_change"
    order: str = "desc"
    cursor: str | None = Field(default=None, max_length=2000)
    limit: int = Field(default=50, ge=1, le=200)

    def filters(self, principal: CurrentPrincipal) -> listing.Filters:
        return _filters(
            principal,
            self.status,
            self.requester,
            self.mine,
            self.submitted_from,
            self.submitted_to,
            self.action_required,
            self.q,
        )


@router.get("/requests", response_model=SummaryPage)
async def list_requests(
    principal: CurrentPrincipal,
    tx: Transaction,
    key: CursorKey,
    filters: ListFilters,
    sort: str = "last_change",
    order: str = "desc",
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SummaryPage:
    """This employer's requests, one keyset page at a time (pass next_cursor back as cursor).
    A search by name belongs in POST /history/requests/search: a URL is logged."""
    return await _page(principal, tx, key, filters, sort, order, cursor, limit)


@router.post("/requests/search", response_model=SummaryPage)
async def search_requests(
    principal: CurrentPrincipal, tx: Transaction, key: CursorKey, body: Search
) -> SummaryPage:
    """The same list as GET /history/requests, its filters in the body."""
    filters = body.filters(principal)
    return await _page(principal, tx, key, filters, body.sort, body.order, body.cursor, body.limit)


async def _page(principal, tx, key, filters, sort, order, cursor, limit) -> SummaryPage:
    employer = employer_of(principal)
    listing.check_sort(sort, order)
    after = None
    if cursor:
        after_id = listing.decode_cursor(cursor, sort=sort, order=order, key=key)
        after = await repository.load_position(
            tx, employer_id=employer, request_id=after_id, sort=sort
        )
        if after is None:  # the row is gone (another employer's id, or purged)
            raise listing.bad_parameter("cursor", "The cursor is not valid for this sort order.")
    page = listing.Page(sort=sort, order=order, after=after, limit=limit, filters=filters)
    rows, next_cursor = await repository.load_page(tx, employer_id=employer, page=page, key=key)
    items = [Summary.model_validate(row, from_attributes=True) for row in rows]
    return SummaryPage(items=items, next_cursor=next_cursor)


@router.get("/requests/counts", response_model=StatusCounts)
async def count_requests(
    principal: CurrentPrincipal, tx: Transaction, filters: ListFilters
) -> StatusCounts:
    """Requests per status under the other filters (the status filter itself is ignored)."""
    return await _counts(principal, tx, filters)


@router.post("/requests/counts", response_model=StatusCounts)
async def count_searched_requests(
    principal: CurrentPrincipal, tx: Transaction, body: Search
) -> StatusCounts:
    """The counts of GET /history/requests/counts, the filters in the body."""
    return await _counts(principal, tx, body.filters(principal))


async def _counts(principal, tx, filters: listing.Filters) -> StatusCounts:
    employer = employer_of(principal)
    counts = await repository.load_counts(tx, employer_id=employer, filters=filters)
    return StatusCounts(counts=counts, total=sum(counts.values()))


@router.get("/requests/{request_id}", response_model=Detail)
async def read_request(
    request_id: UUID,
    principal: CurrentPrincipal,
    tx: Transaction,
    accept_language: Annotated[str | None, Header()] = None,
) -> Detail:
    """One request with its whole timeline, texts in the reader's language."""
    employer = employer_of(principal)
    summary, entries = await repository.load_request(tx, request_id, employer_id=employer)
    if summary is None:
        raise Problem(404, "request.not_found", "No such request.")
    language = language_of(accept_language)
    timeline = [
        Entry(
            event_id=e.event_id,
            occurred_at=e.occurred_at,
            kind=e.kind,
            actor=e.actor,
            details=e.details,
            text=describe(e.kind, e.actor, e.details, language),
        )
        for e in entries
    ]
    base = Summary.model_validate(summary, from_attributes=True)
    return Detail(**base.model_dump(), timeline=timeline)
