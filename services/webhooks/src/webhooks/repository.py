"""Named queries over webhooks' own tables."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from webhooks.tables import Delivery, DeliveryAttempt, Endpoint

DELIVERY_CHANNEL = "webhooks_deliveries"


async def wake_deliverer(tx: AsyncSession) -> None:
    """NOTIFY is transactional: the deliverer hears it once the new rows are visible."""
    await tx.execute(select(func.pg_notify(DELIVERY_CHANNEL, "")))


async def load_endpoint(
    tx: AsyncSession, endpoint_id: UUID, *, employer_id: str
) -> Endpoint | None:
    """The employer's own live endpoint; another employer's looks the same as none."""
    return await tx.scalar(
        select(Endpoint).where(
            Endpoint.id == endpoint_id,
            Endpoint.employer_id == employer_id,
            Endpoint.deleted_at.is_(None),
        )
    )


async def load_endpoints(tx: AsyncSession, *, employer_id: str) -> list[Endpoint]:
    return list(
        await tx.scalars(
            select(Endpoint)
            .where(Endpoint.employer_id == employer_id, Endpoint.deleted_at.is_(None))
            .order_by(Endpoint.created_at)
        )
    )


async def load_subscribed(tx: AsyncSession, *, employer_id: str, kind: str) -> list[Endpoint]:
    """Endpoints that want this kind now; a disabled one records nothing until it is enabled."""
    return list(
        await tx.scalars(
            select(Endpoint).where(
                Endpoint.employer_id == employer_id,
                Endpoint.deleted_at.is_(None),
                Endpoint.enabled,
                Endpoint.event_kinds.any(kind),
            )
        )
    )


async def save_deliveries(tx: AsyncSession, rows: list[dict]) -> None:
    """Insert the deliveries; a replayed event finds them there already."""
    if rows:
        await tx.execute(insert(Delivery).values(rows).on_conflict_do_nothing())


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to this worker, with what sending it needs."""

    id: UUID
    endpoint_id: UUID
    url: str
    payload: dict
    attempts: int
    window_started_at: datetime
    secrets: tuple[str, ...]  # sealed; current first, the previous one during its grace


# Per endpoint, the due deliveries in order, as many as its free slots (concurrency minus the
# ones still under lease). The endpoints are locked by the caller: no other claimer sees them.
_DUE_OF_ENDPOINTS = text(
    """
    WITH busy AS (
        SELECT endpoint_id, count(*) AS n FROM deliveries
        WHERE status = 'pending' AND lease_until > now() AND endpoint_id = ANY(:endpoints)
        GROUP BY endpoint_id
    ), ranked AS (
        SELECT id, endpoint_id, next_attempt_at,
               row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at, id) AS rank
        FROM deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
          AND (lease_until IS NULL OR lease_until <= now()) AND endpoint_id = ANY(:endpoints)
    )
    SELECT ranked.id FROM ranked LEFT JOIN busy USING (endpoint_id)
    WHERE rank <= :per_endpoint - coalesce(busy.n, 0)
    ORDER BY rank, next_attempt_at
    LIMIT :slots
    """
)


async def claim_due(
    tx: AsyncSession, *, slots: int, per_endpoint: int, lease_s: float
) -> list[Claimed]:
    """Lease up to `slots` due deliveries, round robin over endpoints, at most `per_endpoint` each."""
    endpoints = list(
        await tx.scalars(
            select(Endpoint)
            .where(
                Endpoint.enabled,
                Endpoint.deleted_at.is_(None),
                Endpoint.id.in_(select(Delivery.endpoint_id).where(_is_due())),
            )
            .order_by(Endpoint.last_claimed_at.asc().nulls_first())
            .limit(slots)
            .with_for_update(skip_locked=True)
        )
    )
    if not endpoints:
        return []
    ids = list(
        await tx.scalars(
            _DUE_OF_ENDPOINTS,
            {"endpoints": [e.id for e in endpoints], "per_endpoint": per_endpoint, "slots": slots},
        )
    )
    if not ids:
        return []
    leased = list(
        await tx.scalars(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(
                lease_until=func.now() + timedelta(seconds=lease_s),
                attempts=Delivery.attempts + 1,
            )
            .returning(Delivery)
        )
    )
    by_id = {e.id: e for e in endpoints}
    now = await tx.scalar(select(func.now()))
    for endpoint_id in {d.endpoint_id for d in leased}:
        by_id[endpoint_id].last_claimed_at = now
    return [_claimed(d, by_id[d.endpoint_id], now) for d in leased]


def _is_due():
    return (
        (Delivery.status == "pending")
        & (Delivery.next_attempt_at <= func.now())
        & (Delivery.lease_until.is_(None) | (Delivery.lease_until <= func.now()))
    )


def _claimed(delivery: Delivery, endpoint: Endpoint, now: datetime) -> Claimed:
    secrets = [endpoint.secret]
    if endpoint.previous_secret and (endpoint.previous_secret_expires_at or now) > now:
        secrets.append(endpoint.previous_secret)
    return Claimed(
        id=delivery.id,
        endpoint_id=endpoint.id,
        url=endpoint.url,
        payload=delivery.payload,
        attempts=delivery.attempts,
        window_started_at=delivery.window_started_at,
        secrets=tuple(secrets),
    )


async def seconds_until_next_due(tx: AsyncSession) -> float | None:
    """How long until the earliest pending delivery is due (None: nothing pending)."""
    return await tx.scalar(
        select(
            func.extract(
                "epoch",
                func.min(func.greatest(Delivery.next_attempt_at, Delivery.lease_until))
                - func.now(),
            )
        ).where(Delivery.status == "pending")
    )


async def save_outcome(
    tx: AsyncSession,
    delivery_id: UUID,
    *,
    attempt: dict,
    status: str,
    next_attempt_at: datetime | None,
) -> None:
    """The attempt, and what it means for the delivery; the lease ends either way."""
    tx.add(DeliveryAttempt(delivery_id=delivery_id, **attempt))
    values = {
        "lease_until": None,
        "last_attempt_at": attempt["attempted_at"],
        "last_status_code": attempt["status_code"],
        "last_error": attempt["error_class"],
    }
    if status == "delivered":
        values |= {"status": "delivered", "delivered_at": attempt["attempted_at"]}
    elif next_attempt_at is None:
        values |= {"status": "failed"}
    else:
        values |= {"next_attempt_at": next_attempt_at}
    # A delivery cancelled (endpoint deleted) or replayed meanwhile is left as it is now.
    await tx.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "pending")
        .values(values)
    )


async def disable_gone(tx: AsyncSession, endpoint_id: UUID) -> None:
    """The receiver answered 410 Gone: stop sending until an admin enables it again."""
    await tx.execute(
        update(Endpoint)
        .where(Endpoint.id == endpoint_id)
        .values(enabled=False, disabled_reason="gone")
    )


async def cancel_pending(tx: AsyncSession, endpoint_id: UUID) -> None:
    await tx.execute(
        update(Delivery)
        .where(Delivery.endpoint_id == endpoint_id, Delivery.status == "pending")
        .values(status="cancelled", lease_until=None)
    )


async def replay(
    tx: AsyncSession,
    endpoint_id: UUID,
    *,
    delivery_id: UUID | None = None,
    since: datetime | None = None,
    only_failed: bool = False,
) -> int:
    """Make deliveries due now with a fresh retry window; same webhook-id, so receivers dedupe."""
    conditions = [Delivery.endpoint_id == endpoint_id, Delivery.status != "cancelled"]
    if delivery_id is not None:
        conditions.append(Delivery.id == delivery_id)
    if since is not None:
        conditions.append(Delivery.created_at >= since)
    if only_failed:
        conditions.append(Delivery.status == "failed")
    result = await tx.execute(
        update(Delivery)
        .where(*conditions)
        .values(
            status="pending",
            next_attempt_at=func.now(),
            window_started_at=func.now(),
            lease_until=None,
            delivered_at=None,
        )
    )
    await wake_deliverer(tx)
    return result.rowcount


@dataclass(frozen=True)
class EndpointStats:
    pending: int = 0
    delivered: int = 0
    failed: int = 0
    next_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None


async def load_stats(tx: AsyncSession, endpoint_ids: list[UUID]) -> dict[UUID, EndpointStats]:
    """Per endpoint: deliveries by status, the next attempt, and the outcome of the latest one."""
    counts = await tx.execute(
        select(
            Delivery.endpoint_id,
            func.count().filter(Delivery.status == "pending"),
            func.count().filter(Delivery.status == "delivered"),
            func.count().filter(Delivery.status == "failed"),
            func.min(Delivery.next_attempt_at).filter(Delivery.status == "pending"),
        )
        .where(Delivery.endpoint_id.in_(endpoint_ids))
        .group_by(Delivery.endpoint_id)
    )
    latest = await tx.execute(
        select(
            Delivery.endpoint_id,
            Delivery.last_attempt_at,
            Delivery.last_status_code,
            Delivery.last_error,
        )
        .where(Delivery.endpoint_id.in_(endpoint_ids), Delivery.last_attempt_at.is_not(None))
        .order_by(Delivery.endpoint_id, Delivery.last_attempt_at.desc())
        .distinct(Delivery.endpoint_id)
    )
    last = {row[0]: row[1:] for row in latest}
    return {
        endpoint_id: EndpointStats(pending, delivered, failed, next_at, *last.get(endpoint_id, ()))
        for endpoint_id, pending, delivered, failed, next_at in counts
    }


async def load_deliveries(
    tx: AsyncSession, endpoint_id: UUID, *, status: str | None, since: datetime | None, limit: int
) -> list[Delivery]:
    """Newest first."""
    query = select(Delivery).where(Delivery.endpoint_id == endpoint_id)
    if status is not None:
        query = query.where(Delivery.status == status)
    if since is not None:
        query = query.where(Delivery.created_at >= since)
    return list(await tx.scalars(query.order_by(Delivery.created_at.desc()).limit(limit)))


async def load_delivery(tx: AsyncSession, endpoint_id: UUID, delivery_id: UUID) -> Delivery | None:
    return await tx.scalar(
        select(Delivery).where(Delivery.id == delivery_id, Delivery.endpoint_id == endpoint_id)
    )


async def load_attempts(tx: AsyncSession, delivery_id: UUID) -> list[DeliveryAttempt]:
    return list(
        await tx.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id == delivery_id)
            .order_by(DeliveryAttempt.id)
        )
    )
