"""Every lifecycle event lands on the request's timeline and updates its summary."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import CATALOGUE, Event, InfoProvided, NumberAssigned, RequestStatus, RequestSubmitted, supersedes
from history import repository
from history.domain import STATUS_OF, timeline_item, worker_name


async def on_event(event: Event, tx: AsyncSession) -> None:
    summary = await repository.load_summary_for_update(tx, event)
    item = timeline_item(event)
    await repository.save_timeline_entry(tx, event, kind=item.kind, actor=item.actor, details=item.details)
    if isinstance(event, RequestSubmitted):
        summary.requester_id, summary.requester_name = event.requester_id, event.requester_name
        summary.submitted_at = event.occurred_at
    if isinstance(event, RequestSubmitted | InfoProvided):
        summary.worker_name = worker_name(event)
    status = STATUS_OF.get(type(event))
    current = RequestStatus(summary.status) if summary.status else None
    if status and supersedes(status, event.request_version, current=current,
                             current_version=summary.status_version):
        summary.status, summary.status_version = status.value, event.request_version
        summary.action_required = status == RequestStatus.INFORMATION_REQUESTED
        if isinstance(event, NumberAssigned):
            summary.ssin = event.ssin
    summary.last_change_at = max(summary.last_change_at, event.occurred_at)


HANDLERS = {event_type: on_event for event_type in CATALOGUE}
