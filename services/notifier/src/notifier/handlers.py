"""Record the intent to e-mail for every lifecycle event; the dispatcher sends it."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestSubmitted, worker_name
from eventing import tracing
from eventing.topology import SUBSCRIPTIONS
from notifier import repository
from notifier.domain import kind_and_context, notification_id

DISPATCH_CHANNEL = repository.DISPATCH_CHANNEL


async def on_event(event: Event, tx: AsyncSession) -> None:
    """One statement per event: the intent (and, for a submission, the contact and the release of
    the decisions that waited for it) with the dispatcher's wake-up."""
    kind, context = kind_and_context(event)
    tracing.inject(context)  # the dispatcher's SMTP span continues this event's trace
    notification = {
        "id": notification_id(event.event_id),
        "request_id": event.request_id,
        "employer_id": event.employer_id,
        "about_event_id": event.event_id,
        "request_version": event.request_version,
        "kind": kind,
        "context": context,
        "attempts": 0,
    }
    if isinstance(event, RequestSubmitted):
        person = event.data.person
        contact = {
            "request_id": event.request_id,
            "employer_id": event.employer_id,
            "email": str(event.notification_email),
            "language": event.language,
            "worker_name": worker_name(person.surnames, person.given_names),
        }
        # The contact comes with this very event: its e-mail is pending at once.
        await tx.execute(
            repository.record_submission(contact, notification | {"status": "pending"}),
        )
        return
    # Pending when the contact is known, else awaiting it: decided by the insert itself.
    await tx.execute(
        repository.record_notification(
            notification | {"status": repository.pending_if_contact_known(event.request_id)}
        )
    )


HANDLERS = dict.fromkeys(SUBSCRIPTIONS["notifier"], on_event)
