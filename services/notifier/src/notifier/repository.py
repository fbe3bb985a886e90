"""Named queries over notifier's own tables."""

import json
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Select, case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from notifier.tables import DeliveryAttempt, Notification, RequestContact

DISPATCH_CHANNEL = "notifier_dispatch"


def pending_if_contact_known(request_id: UUID):
    """SQL: 'pending' when the request's contact is stored, else 'awaiting_contact'."""
    known = select(RequestContact.request_id).where(RequestContact.request_id == request_id)
    return case((known.exists(), "pending"), else_="awaiting_contact")


def _woken(*writes) -> Select:
    """The writes as CTEs of one statement that wakes the dispatcher (NOTIFY at commit)."""
    stmt = select(func.pg_notify(DISPATCH_CHANNEL, ""))
    for n, write in enumerate(writes):
        stmt = stmt.add_cte(write.cte(f"w{n}"))
    return stmt


def record_notification(values: dict) -> Select:
    """One statement: the intent (a replayed event finds it there already), the wake-up."""
    return _woken(insert(Notification).values(**values).on_conflict_do_nothing())


def record_submission(contact: dict, notification: dict) -> Select:
    """One statement: the contact, the release of the decisions that waited for it (they arrived
    first), the submission's own intent, the wake-up."""
    return _woken(
        insert(RequestContact).values(**contact).on_conflict_do_nothing(),
        update(Notification)
        .where(
            Notification.request_id == contact["request_id"],
            Notification.status == "awaiting_contact",
        )
        .values(status="pending", next_attempt_at=func.now()),
        insert(Notification).values(**notification).on_conflict_do_nothing(),
    )


DUE_STATUSES = ("pending", "sending")  # `sending` is due again only once its lease ran out


# The claim in one statement (one round trip, autocommit): the oldest due notification whose
# contact is known, locked past other claimers (SKIP LOCKED), set `sending` with its lease and its
# Message-ID, returned with the contact. An empty claim, the common case when a lane wakes, costs
# that one round trip too. The Message-ID is derived here and nowhere else: the first 32 hex
# digits of sha256("<event id>:<recipient, trimmed and lower-cased>") @ the configured domain, so
# every resend of one event to one address carries the same id (receivers and audits dedupe on it).
_CLAIM_DUE = text(
    "WITH due AS ("
    " SELECT n.id, n.status AS was FROM notifications n"
    " JOIN request_contacts c ON c.request_id = n.request_id"
    " WHERE n.status IN ('pending', 'sending') AND n.next_attempt_at <= now()"
    " ORDER BY n.next_attempt_at LIMIT 1 FOR UPDATE OF n SKIP LOCKED)"
    " UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1,"
    " next_attempt_at = now() + make_interval(secs => CAST(:lease_s AS float8)),"
    " message_id = '<' || left(encode(sha256(convert_to("
    "n.about_event_id::text || ':' || lower(btrim(c.email)), 'UTF8')), 'hex'), 32)"
    " || '@' || CAST(:domain AS text) || '>'"
    " FROM due, request_contacts c WHERE n.id = due.id AND c.request_id = n.request_id"
    " RETURNING n.id, n.request_id, n.employer_id, n.about_event_id, n.request_version, n.kind,"
    " n.context, n.attempts, n.created_at, n.message_id, due.was,"
    " c.email, c.language, c.worker_name"
)


async def claim_due(conn: AsyncConnection, *, lease_s: float, message_id_domain: str):
    """The claimed notification with its contact (a Row), or None when nothing is due."""
    result = await conn.execute(_CLAIM_DUE, {"lease_s": lease_s, "domain": message_id_domain})
    return result.one_or_none()


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
