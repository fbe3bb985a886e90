"""Admin: delivery status of a request's e-mails (no addresses, no contents)."""

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from eventing.auth import CurrentPrincipal, employer_of
from eventing.http import Transaction
from eventing.problems import Problem
from notifier import repository

router = APIRouter(prefix="/notifications", tags=["notifications"])


class Attempt(BaseModel):
    attempted_at: datetime
    outcome: str
    smtp_code: int | None
    error_class: str | None


class Delivery(BaseModel):
    id: UUID
    kind: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    # While not delivered: how long it has waited, when it is tried next and why it waits.
    waiting_s: float | None
    next_attempt_at: datetime | None
    last_error_class: str | None
    history: list[Attempt]


@router.get("/requests/{request_id}", response_model=list[Delivery])
async def deliveries(
    request_id: UUID, principal: CurrentPrincipal, tx: Transaction
) -> list[Delivery]:
    employer = employer_of(principal)
    notifications, attempts = await repository.load_for_request(
        tx, request_id, employer_id=employer
    )
    if not notifications:  # another employer's request and an unknown one look the same
        raise Problem(404, "request.not_found", "No such request.")
    now = datetime.now(UTC)
    return [
        Delivery(
            id=n.id,
            kind=n.kind,
            status=n.status,
            attempts=n.attempts,
            created_at=n.created_at,
            sent_at=n.sent_at,
            waiting_s=round((now - n.created_at).total_seconds(), 1) if _waiting(n) else None,
            next_attempt_at=n.next_attempt_at if _waiting(n) else None,
            last_error_class=n.last_error_class,
            history=[
                Attempt.model_validate(a, from_attributes=True)
                for a in attempts
                if a.notification_id == n.id
            ],
        )
        for n in notifications
    ]


def _waiting(notification) -> bool:
    return notification.status in ("pending", "sending", "awaiting_contact")
