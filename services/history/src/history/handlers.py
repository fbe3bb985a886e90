"""Every lifecycle event lands on the request's timeline and updates its summary."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from eventing.topology import SUBSCRIPTIONS
from history import domain, repository


async def on_event(event: Event, tx: AsyncSession) -> None:
    """Timeline first (once per event id), then the summary as the order-tolerant rules say."""
    summary = await repository.load_summary_for_update(tx, event)
    if not await repository.save_timeline_entry(tx, event, domain.timeline_item(event)):
        return  # a replay that slipped past the inbox (e.g. a rebuild): already applied
    await repository.save_summary(tx, event.request_id, domain.apply(summary, event))


async def on_events(events: list[Event], tx: AsyncSession) -> None:
    """A consumer batch in one transaction, by the same rules as on_event: each request's
    events are applied in their order, in a handful of statements for the whole batch."""
    by_request: dict[UUID, list[Event]] = {}
    for event in events:
        by_request.setdefault(event.request_id, []).append(event)
    summaries = await repository.load_summaries_for_update(
        tx, {rid: batch[0].employer_id for rid, batch in by_request.items()}
    )
    fresh = await repository.save_timeline_entries(
        tx, [(event, domain.timeline_item(event)) for event in events]
    )
    changed = {}
    for rid, batch in by_request.items():
        applied = [event for event in batch if event.event_id in fresh]
        if not applied:
            continue  # replays that slipped past the inbox (e.g. a rebuild): already applied
        summary = summaries[rid]
        for event in applied:
            summary = domain.apply(summary, event)
        changed[rid] = summary
    await repository.save_summaries(tx, changed)


HANDLERS = dict.fromkeys(SUBSCRIPTIONS["history"], on_event)
