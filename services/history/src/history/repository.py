"""Named queries over history's read model."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from history.tables import RequestSummary, TimelineEntry


async def load_summary_for_update(tx: AsyncSession, event) -> RequestSummary:
    """The request's summary row, created as a stub if a late RequestSubmitted has not arrived."""
    await tx.execute(
        insert(RequestSummary)
        .values(request_id=event.request_id, employer_id=event.employer_id,
                last_change_at=event.occurred_at, status_version=0, action_required=False)
        .on_conflict_do_nothing()
    )
    return await tx.scalar(
        select(RequestSummary).where(RequestSummary.request_id == event.request_id).with_for_update()
    )


async def save_timeline_entry(tx: AsyncSession, event, *, kind: str, actor: str, details: dict) -> bool:
    """False when the entry exists already (a replay)."""
    stmt = (
        insert(TimelineEntry)
        .values(event_id=event.event_id, request_id=event.request_id, occurred_at=event.occurred_at,
                kind=kind, actor=actor, details=details)
        .on_conflict_do_nothing()
        .returning(TimelineEntry.event_id)
    )
    return await tx.scalar(stmt) is not None


async def load_summaries(tx: AsyncSession, *, employer_id: str, limit: int) -> list[RequestSummary]:
    stmt = (
        select(RequestSummary)
        .where(RequestSummary.employer_id == employer_id, RequestSummary.status.is_not(None))
        .order_by(RequestSummary.last_change_at.desc(), RequestSummary.request_id)
        .limit(limit)
    )
    return list(await tx.scalars(stmt))


async def load_request(tx: AsyncSession, request_id: UUID, *, employer_id: str):
    summary = await tx.scalar(
        select(RequestSummary).where(RequestSummary.request_id == request_id,
                                     RequestSummary.employer_id == employer_id)
    )
    if summary is None:
        return None, []
    entries = await tx.scalars(
        select(TimelineEntry).where(TimelineEntry.request_id == request_id)
        .order_by(TimelineEntry.occurred_at, TimelineEntry.event_id)
    )
    return summary, list(entries)
