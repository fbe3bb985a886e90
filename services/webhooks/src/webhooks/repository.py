"""Named queries over webhooks' own tables."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import case, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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
    endpoint_failures: int
    secrets: tuple[str, ...]  # sealed; current first, the previous one during its grace


# Per endpoint, the due deliveries in order, as many as its free slots (its concurrency, or one
# while it is failing, minus the ones still under lease). The endpoints are locked by the
# caller: no other claimer sees them.
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
    WHERE rank <= (CASE WHEN ranked.endpoint_id = ANY(:probing) THEN 1 ELSE :per_endpoint END)
                  - coalesce(busy.n, 0)
    ORDER BY rank, next_attempt_at
    LIMIT :slots
    """
)


async def claim_due(
    tx: AsyncSession, *, slots: int, per_endpoint: int, lease_s: float
) -> list[Claimed]:
    """Lease up to `slots` due deliveries, round robin over endpoints, at most `per_endpoint` each."""
    # Only endpoints with a free slot are picked: one at its cap would take a place in the LIMIT,
    # yield nothing, and (being served longest ago) be picked again and again.
    in_flight = (
        select(func.count())
        .where(
            Delivery.endpoint_id == Endpoint.id,
            Delivery.status == "pending",
            Delivery.lease_until > func.now(),
        )
        .correlate(Endpoint)
        .scalar_subquery()
    )
    cap = case((Endpoint.consecutive_failures > 0, 1), else_=per_endpoint)
    endpoints = list(
        await tx.scalars(
            select(Endpoint)
            .where(
                Endpoint.enabled,
                Endpoint.deleted_at.is_(None),
                Endpoint.next_probe_at.is_(None) | (Endpoint.next_probe_at <= func.now()),
                exists().where(Delivery.endpoint_id == Endpoint.id, _is_due()),
                in_flight < cap,
            )
            .order_by(Endpoint.last_claimed_at.asc().nulls_first())
            .limit(slots)
            .with_for_update(skip_locked=True, of=Endpoint)
        )
    )
    if not endpoints:
        return []
    ids = list(
        await tx.scalars(
            _DUE_OF_ENDPOINTS,
            {
                "endpoints": [e.id for e in endpoints],
                "probing": [e.id for e in endpoints if e.consecutive_failures > 0],
                "per_endpoint": per_endpoint,
                "slots": slots,
            },
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
        endpoint_failures=endpoint.consecutive_failures,
        secrets=tuple(secrets),
    )


async def seconds_until_next_due(tx: AsyncSession) -> float | None:
    """How long until the earliest delivery a claim could take is due (None: none pending).

    Endpoints with a delivery in flight are left out: the end of that attempt wakes the
    deliverer anyway, and counting their due backlog would make it spin.
    """
    busy = aliased(Delivery)
    due_at = func.greatest(Delivery.next_attempt_at, Endpoint.next_probe_at)  # NULLs ignored
    return await tx.scalar(
        select(func.extract("epoch", func.min(due_at) - func.now()))
        .join(Endpoint, Endpoint.id == Delivery.endpoint_id)
        .where(
            Endpoint.enabled,
            Delivery.status == "pending",
            Delivery.lease_until.is_(None) | (Delivery.lease_until <= func.now()),
            ~exists().where(
                busy.endpoint_id == Delivery.endpoint_id,
                busy.status == "pending",
                busy.lease_until > func.now(),
            ),
        )
    )


async def save_outcome(
    tx: AsyncSession,
    delivery_id: UUID,
    endpoint_id: UUID,
    *,
    attempt: dict,
    status: str,
    next_attempt_at: datetime | None,
    endpoint_pause_s: float = 0.0,
) -> None:
    """The attempt, and what it means for the delivery and its endpoint; the lease ends.

    The endpoint row is updated (locked) before the delivery's, the order the claim and an
    endpoint's deletion take too: the other order deadlocked with a deletion, which then failed.
    """
    if status == "delivered":
        endpoint = {"consecutive_failures": 0, "next_probe_at": None}
    else:  # a failing endpoint waits before its next probe, whatever else it has due
        pause = func.now() + timedelta(seconds=endpoint_pause_s)
        endpoint = {
            "consecutive_failures": Endpoint.consecutive_failures + 1,
            "next_probe_at": pause,
        }
    await tx.execute(update(Endpoint).where(Endpoint.id == endpoint_id).values(endpoint))
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


async def expire_past_horizon(tx: AsyncSession, *, horizon_s: float) -> int:
    """Fail what waited past its horizon without an attempt (its endpoint paused for long)."""
    result = await tx.execute(
        update(Delivery)
        .where(
            Delivery.status == "pending",
            Delivery.window_started_at < func.now() - timedelta(seconds=horizon_s),
            Delivery.lease_until.is_(None) | (Delivery.lease_until <= func.now()),
        )
        .values(status="failed", lease_until=None, last_error="webhooks.horizon_passed")
    )
    return result.rowcount


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
