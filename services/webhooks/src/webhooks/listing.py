"""What admins read: per-endpoint figures, deliveries newest first, each attempt."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from webhooks.tables import Delivery, DeliveryAttempt


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
