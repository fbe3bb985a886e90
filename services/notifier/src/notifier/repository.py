"""Named queries over notifier's own tables."""

import json
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from notifier.tables import DeliveryAttempt, Notification, RequestContact


async def save_contact(tx: AsyncSession, **values) -> None:
    await tx.execute(insert(RequestContact).values(**values).on_conflict_do_nothing())


async def load_contact(tx: AsyncSession, request_id: UUID) -> RequestContact | None:
    return await tx.get(RequestContact, request_id)


def pending_if_contact_known(request_id: UUID):
    """SQL: 'pending' when the request's contact is stored, else 'awaiting_contact'."""
    known = select(RequestContact.request_id).where(RequestContact.request_id == request_id)
    return case((known.exists(), "pending"), else_="awaiting_contact")


async def save_notification(tx: AsyncSession, **values) -> None:
    """Insert the intent; a replayed event finds it there already."""
    await tx.execute(insert(Notification).values(**values).on_conflict_do_nothing())


async def release_awaiting(tx: AsyncSession, request_id: UUID) -> None:
    """Decisions that arrived before the contact can go now."""
    await tx.execute(
        update(Notification)
        .where(Notification.request_id == request_id, Notification.status == "awaiting_contact")
        .values(status="pending", next_attempt_at=func.now())
    )


DUE_STATUSES = ("pending", "sending")  # `sending` is due again only once its lease ran out


async def load_due_notification(tx: AsyncSession) -> Notification | None:
    """One due notification, locked for this sender: other replicas skip it."""
    return await tx.scalar(
        select(Notification)
        .where(Notification.status.in_(DUE_STATUSES), Notification.next_attempt_at <= func.now())
        .order_by(Notification.next_attempt_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


async def backlog(tx: AsyncSession) -> tuple[int, float | None]:
    """How many notifications wait to be sent, and the age in seconds of the oldest."""
    count, oldest = (
        await tx.execute(
            select(func.count(), func.min(Notification.created_at)).where(
                Notification.status.in_(DUE_STATUSES)
            )
        )
    ).one()
    if oldest is None:
        return count, None
    return count, round((datetime.now(UTC) - oldest).total_seconds(), 1)


def save_attempt(
    tx: AsyncSession,
    notification: Notification,
    *,
    outcome: str,
    smtp_code: int | None = None,
    error_class: str | None = None,
) -> None:
    tx.add(
        DeliveryAttempt(
            notification_id=notification.id,
            outcome=outcome,
            smtp_code=smtp_code,
            error_class=error_class,
        )
    )


async def load_for_request(tx: AsyncSession, request_id: UUID, *, employer_id: str):
    notifications = list(
        await tx.scalars(
            select(Notification)
            .where(Notification.request_id == request_id, Notification.employer_id == employer_id)
            .order_by(Notification.created_at)
        )
    )
    attempts = list(
        await tx.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.notification_id.in_([n.id for n in notifications]))
            .order_by(DeliveryAttempt.id)
        )
    )
    return notifications, attempts


# The sent mark in one statement (one round trip, its own transaction): notification `sent`,
# its attempt, NotificationSent in the outbox and the relay woken. This statement's duration is
# the window a crash turns into a second copy, so it is kept as short as it can be.
_MARK_SENT = text(
    "WITH marked AS ("
    " UPDATE notifications SET status = 'sent', sent_at = now()"
    " WHERE id = CAST(:id AS uuid) AND status <> 'sent' RETURNING id),"
    " attempt AS (INSERT INTO delivery_attempts (notification_id, outcome, attempted_at)"
    " SELECT id, 'sent', now() FROM marked),"
    " staged AS (INSERT INTO outbox_messages (event_id, topic, key, payload, headers)"
    " SELECT CAST(:event_id AS uuid), CAST(:topic AS text), CAST(:key AS text),"
    " CAST(:payload AS jsonb), CAST(:headers AS jsonb) FROM marked)"
    " SELECT (SELECT count(*) FROM marked) AS marked, pg_notify(:channel, '') AS woken"
)


async def mark_sent(
    conn: AsyncConnection, notification_id: UUID, outbox_row: dict, *, channel: str
) -> bool:
    """True when this call marked it (False: another claimer had, after a lost lease)."""
    row = (
        await conn.execute(
            _MARK_SENT,
            {
                "id": str(notification_id),
                "event_id": str(outbox_row["event_id"]),
                "topic": outbox_row["topic"],
                "key": outbox_row["key"],
                "payload": json.dumps(outbox_row["payload"]),
                "headers": json.dumps(outbox_row["headers"]),
                "channel": channel,
            },
        )
    ).one()
    return row.marked == 1
