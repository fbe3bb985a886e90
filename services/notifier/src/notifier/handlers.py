"""Record the intent to e-mail for every lifecycle event; the dispatcher sends it."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestSubmitted, worker_name
from eventing import tracing
from eventing.topology import SUBSCRIPTIONS
from notifier import repository
from notifier.domain import kind_and_context, notification_id

DISPATCH_CHANNEL = "notifier_dispatch"


async def on_event(event: Event, tx: AsyncSession) -> None:
    if isinstance(event, RequestSubmitted):
        person = event.data.person
        await repository.save_contact(
            tx,
            request_id=event.request_id,
            employer_id=event.employer_id,
            email=str(event.notification_email),
            language=event.language,
            worker_name=worker_name(person.surnames, person.given_names),
        )
        await repository.release_awaiting(tx, event.request_id)
    kind, context = kind_and_context(event)
    tracing.inject(context)  # the dispatcher's SMTP span continues this event's trace
    # Pending when the contact is known, else awaiting it: decided by the insert itself.
    await repository.save_notification(
        tx,
        id=notification_id(event.event_id),
        request_id=event.request_id,
        employer_id=event.employer_id,
        about_event_id=event.event_id,
        request_version=event.request_version,
        kind=kind,
        context=context,
        status=repository.pending_if_contact_known(event.request_id),
        attempts=0,
    )
    await tx.execute(select(func.pg_notify(DISPATCH_CHANNEL, "")))


HANDLERS = dict.fromkeys(SUBSCRIPTIONS["notifier"], on_event)
