"""Matching's decisions move the request's status (idempotent, order-tolerant)."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import (
    FINAL_STATUSES,
    Event,
    InfoRequested,
    NumberAssigned,
    RequestRejected,
    RequestStatus,
    ReviewOpened,
)
from intake import repository
from intake.domain import Lifecycle


async def on_number_assigned(event: NumberAssigned, tx: AsyncSession) -> None:
    await _move(
        tx,
        event,
        RequestStatus.NUMBER_ASSIGNED,
        outcome={"code": "number_assigned", "kind": event.kind, "completed": event.completed},
        ssin=event.ssin,
        ssin_kind=event.kind,
    )


async def on_review_opened(event: ReviewOpened, tx: AsyncSession) -> None:
    await _move(
        tx,
        event,
        RequestStatus.UNDER_REVIEW,
        outcome={
            "code": "under_review",
            "reason": event.reason,
            "expected_delay_days": event.expected_delay_days,
        },
    )


async def on_info_requested(event: InfoRequested, tx: AsyncSession) -> None:
    await _move(
        tx,
        event,
        RequestStatus.INFORMATION_REQUESTED,
        outcome={
            "code": "information_requested",
            "missing": event.missing,
            "message": event.message,
            "requested_by": event.requested_by,
        },
    )


async def on_request_rejected(event: RequestRejected, tx: AsyncSession) -> None:
    await _move(
        tx,
        event,
        RequestStatus.REJECTED,
        outcome={"code": "rejected", "reason_code": event.reason_code, "reason": event.reason},
    )


async def _move(
    tx: AsyncSession, event: Event, status: RequestStatus, *, outcome: dict, **fields: str
) -> None:
    """Two Core statements: the request's status and version, locked; the move, if any (the
    whole request, its data included, is no longer loaded into the ORM for this)."""
    current = await repository.lock_status(tx, event.request_id)
    if current is None:
        # Our own outbox published the request before matching could answer: absence is a bug.
        raise LookupError("decision for an unknown request")
    moved = Lifecycle(RequestStatus(current[0]), current[1]).moved_to(
        status, version=event.request_version
    )
    if moved is None:
        return
    now = datetime.now(UTC)
    values = {"status": moved.status.value, "updated_at": now, "outcome": outcome, **fields}
    if moved.status in FINAL_STATUSES:
        values["finalised_at"] = now  # the retention period of the scans starts here
    if moved.status == RequestStatus.INFORMATION_REQUESTED:
        values |= {"info_requested_at": now, "reminded_at": None}  # the deadlines count from here
    await repository.update_request(tx, event.request_id, values)


HANDLERS = {
    NumberAssigned: on_number_assigned,
    ReviewOpened: on_review_opened,
    InfoRequested: on_info_requested,
    RequestRejected: on_request_rejected,
}
