"""Named queries over history's read model."""

from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestStatus
from history import domain, listing
from history.tables import RequestSummary, TimelineEntry

_STATE_FIELDS = (
    "worker_name",
    "worker_name_key",
    "requester_id",
    "requester_name",
    "submitted_at",
    "status",
    "status_version",
    "data_version",
    "ssin",
    "last_change_at",
)


async def load_summary_for_update(tx: AsyncSession, event: Event) -> domain.Summary:
    """The request's summary, locked; a stub if a late RequestSubmitted has not arrived yet."""
    await tx.execute(
        insert(RequestSummary)
        .values(
            request_id=event.request_id,
            employer_id=event.employer_id,
            last_change_at=domain.NEVER,
            status_version=0,
            data_version=0,
            action_required=False,
        )
        .on_conflict_do_nothing()
    )
    row = (
        await tx.execute(
            select(*(getattr(RequestSummary, f) for f in _STATE_FIELDS))
            .where(RequestSummary.request_id == event.request_id)
            .with_for_update()
        )
    ).one()
    state = dict(zip(_STATE_FIELDS, row, strict=True))
    status = state.pop("status")
    return domain.Summary(**state, status=RequestStatus(status) if status else None)


async def save_summary(tx: AsyncSession, request_id: UUID, summary: domain.Summary) -> None:
    """Write the summary back with its derived search and sort keys."""
    values = {f: getattr(summary, f) for f in _STATE_FIELDS}
    values["status"] = summary.status.value if summary.status else None
    await tx.execute(
        update(RequestSummary)
        .where(RequestSummary.request_id == request_id)
        .values(
            **values,
            action_required=summary.action_required,
            requester_key=domain.fold(summary.requester_name or summary.requester_id),
        )
    )


async def save_timeline_entry(tx: AsyncSession, event: Event, item: domain.TimelineItem) -> bool:
    """False when the entry exists already (a replay)."""
    stmt = (
        insert(TimelineEntry)
        .values(
            event_id=event.event_id,
            request_id=event.request_id,
            occurred_at=event.occurred_at,
            kind=item.kind,
            actor=item.actor,
            details=item.details,
        )
        .on_conflict_do_nothing()
        .returning(TimelineEntry.event_id)
    )
    return await tx.scalar(stmt) is not None


SUMMARIES = RequestSummary.__table__
TIMELINE = TimelineEntry.__table__


# The stubs and the summaries of a whole batch each in one statement over arrays (one execution,
# one SQL text for any batch size): an executemany ran one INSERT and one UPDATE per request.
_STUBS = text(
    "INSERT INTO request_summaries"
    " (request_id, employer_id, last_change_at, status_version, data_version, action_required)"
    " SELECT s.request_id, s.employer_id, CAST(:never AS timestamptz), 0, 0, false"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:employers AS varchar[]))"
    " WITH ORDINALITY AS s(request_id, employer_id, n) ORDER BY s.n ON CONFLICT DO NOTHING"
)
_SAVED = {
    "rid": "uuid",
    "worker_name": "varchar",
    "worker_name_key": "varchar",
    "requester_id": "varchar",
    "requester_name": "varchar",
    "submitted_at": "timestamptz",
    "status": "varchar",
    "status_version": "int",
    "data_version": "int",
    "ssin": "varchar",
    "last_change_at": "timestamptz",
    "action_required": "bool",
    "requester_key": "varchar",
}
_SAVE = text(
    "UPDATE request_summaries s SET "  # noqa: S608 - the names are our own constants
    + ", ".join(f"{name} = v.{name}" for name in _SAVED if name != "rid")
    + " FROM unnest("
    + ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _SAVED.items())
    + ") AS v("
    + ", ".join(_SAVED)
    + ") WHERE s.request_id = v.rid"
)


async def load_summaries_for_update(
    tx: AsyncSession, employers: dict[UUID, str]
) -> dict[UUID, domain.Summary]:
    """Many requests' summaries, locked in request-id order (two batches never deadlock); a
    stub for each request whose RequestSubmitted has not arrived yet."""
    ids = sorted(employers)
    await tx.execute(
        _STUBS, {"ids": ids, "employers": [employers[rid] for rid in ids], "never": domain.NEVER}
    )
    rows = await tx.execute(
        select(SUMMARIES.c.request_id, *(SUMMARIES.c[f] for f in _STATE_FIELDS))
        .where(SUMMARIES.c.request_id.in_(ids))
        .order_by(SUMMARIES.c.request_id)
        .with_for_update()
    )
    summaries = {}
    for request_id, *values in rows:
        state = dict(zip(_STATE_FIELDS, values, strict=True))
        status = state.pop("status")
        summaries[request_id] = domain.Summary(
            **state, status=RequestStatus(status) if status else None
        )
    return summaries


async def save_timeline_entries(
    tx: AsyncSession, entries: list[tuple[Event, domain.TimelineItem]]
) -> set[UUID]:
    """Insert many entries; the event ids that were new (the others are replays)."""
    rows = await tx.execute(
        insert(TIMELINE).on_conflict_do_nothing().returning(TIMELINE.c.event_id),
        [
            {
                "event_id": event.event_id,
                "request_id": event.request_id,
                "occurred_at": event.occurred_at,
                "kind": item.kind,
                "actor": item.actor,
                "details": item.details,
            }
            for event, item in entries
        ],
    )
    return set(rows.scalars())


async def save_summaries(tx: AsyncSession, summaries: dict[UUID, domain.Summary]) -> None:
    """Write many summaries back in one executemany."""
    if not summaries:
        return
    rows = [_summary_values(rid, summary) for rid, summary in sorted(summaries.items())]
    await tx.execute(_SAVE, {name: [row[name] for row in rows] for name in _SAVED})


def _summary_values(request_id: UUID, summary: domain.Summary) -> dict:
    values = {f: getattr(summary, f) for f in _STATE_FIELDS}
    values["status"] = summary.status.value if summary.status else None
    values["action_required"] = summary.action_required
    values["requester_key"] = domain.fold(summary.requester_name or summary.requester_id)
    values["rid"] = request_id
    return values


async def load_position(
    tx: AsyncSession, *, employer_id: str, request_id: UUID, sort: str
) -> tuple | None:
    """Where the employer's row `request_id` stands in this order (None: no such row)."""
    row = await tx.scalar(
        select(RequestSummary).where(
            RequestSummary.request_id == request_id, RequestSummary.employer_id == employer_id
        )
    )
    return None if row is None else listing.position_of(row, sort)


async def load_page(
    tx: AsyncSession, *, employer_id: str, page: listing.Page, key: bytes
) -> tuple[list[RequestSummary], str | None]:
    """One page of the employer's list and the cursor of the next one (None on the last page)."""
    rows = list(await tx.scalars(listing.list_statement(employer_id, page)))
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, listing.encode_cursor(page, rows[-1], key=key)


async def load_counts(
    tx: AsyncSession, *, employer_id: str, filters: listing.Filters
) -> dict[str, int]:
    """Requests per status (every status present, zero included)."""
    counts = {status.value: 0 for status in RequestStatus}
    for status, count in await tx.execute(listing.counts_statement(employer_id, filters)):
        counts[status] = count
    return counts


async def load_request(tx: AsyncSession, request_id: UUID, *, employer_id: str):
    """The summary and timeline of one listed request of this employer, or (None, [])."""
    summary = await tx.scalar(
        select(RequestSummary).where(
            RequestSummary.request_id == request_id,
            RequestSummary.employer_id == employer_id,
            RequestSummary.submitted_at.is_not(None),
        )
    )
    if summary is None:
        return None, []
    entries = await tx.scalars(
        select(TimelineEntry)
        .where(TimelineEntry.request_id == request_id)
        .order_by(TimelineEntry.occurred_at, TimelineEntry.event_id)
    )
    return summary, list(entries)
