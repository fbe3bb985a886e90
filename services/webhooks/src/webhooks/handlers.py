"""Record one delivery per subscribed endpoint for every outcome; the deliverer sends them."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from webhooks import repository
from webhooks.domain import KIND_OF_EVENT, delivery_id, kind_of, payload


async def on_outcome(event: Event, tx: AsyncSession) -> None:
    endpoints = await repository.load_subscribed(
        tx, employer_id=event.employer_id, kind=kind_of(event)
    )
    body = payload(event)
    await repository.save_deliveries(
        tx,
        [
            {
                "id": delivery_id(endpoint.id, event.event_id),
                "endpoint_id": endpoint.id,
                "employer_id": event.employer_id,
                "event_id": event.event_id,
                "request_id": event.request_id,
                "event_type": body["type"],
                "payload": body,
                "status": "pending",
            }
            for endpoint in endpoints
        ],
    )
    if endpoints:
        await repository.wake_deliverer(tx)


HANDLERS = dict.fromkeys(KIND_OF_EVENT, on_outcome)
