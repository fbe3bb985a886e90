"""Every lifecycle event lands on the request's timeline and updates its summary."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import CATALOGUE, Event
from history import domain, repository


async def on_event(event: Event, tx: AsyncSession) -> None:
    """Timeline first (once per event id), then the summary as the order-tolerant rules say."""
    summary = await repository.load_summary_for_update(tx, event)
    if not await repository.save_timeline_entry(tx, event, domain.timeline_item(event)):
        return  # a replay that slipped past the inbox (e.g. a rebuild): already applied
    await repository.save_summary(tx, event.request_id, domain.apply(summary, event))


HANDLERS = {event_type: on_event for event_type in CATALOGUE}
