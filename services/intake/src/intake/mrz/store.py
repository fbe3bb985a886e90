"""The queue and the results of MRZ readings, in intake's own database (`document_readings`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.mrz.checks import Zone
from intake.tables import DocumentContent, DocumentReading

# A PDF is read page by page, each as the picture the viewers show (documents.pdf_pages).
READABLE = ("image/jpeg", "image/png", "application/pdf")


def save_pending(tx: AsyncSession, document_id: UUID) -> None:
    """Queue a scan for reading (in the upload's own transaction)."""
    tx.add(DocumentReading(document_id=document_id, status="pending", attempts=0))


async def claim_next(
    tx: AsyncSession, *, now: datetime, lease: timedelta, max_attempts: int
) -> tuple[DocumentReading, bytes] | None:
    """The oldest pending reading no one holds (or whose holder's lease ran out), leased to us."""
    reading = await tx.scalar(
        select(DocumentReading)
        .where(
            DocumentReading.status == "pending",
            or_(DocumentReading.lease_until.is_(None), DocumentReading.lease_until < now),
        )
        .order_by(DocumentReading.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if reading is None:
        return None
    data = await tx.scalar(
        select(DocumentContent.data).where(DocumentContent.document_id == reading.document_id)
    )
    if data is None or reading.attempts >= max_attempts:
        reading.status = "failed"
        return None
    reading.attempts += 1
    reading.lease_until = now + lease
    return reading, data


async def save_result(
    tx: AsyncSession, document_id: UUID, *, status: str, zone: Zone | None, duration_ms: int,
    now: datetime,
) -> None:  # fmt: skip
    reading = await tx.get(DocumentReading, document_id, with_for_update=True)
    if reading is None:  # the scan was deleted meanwhile
        return
    reading.status, reading.duration_ms, reading.read_at = status, duration_ms, now
    reading.lease_until = None
    if zone is not None:
        reading.format, reading.checks = zone.format, zone.checks
        reading.repaired = list(zone.repaired)
        reading.fields = {"lines": list(zone.lines), "unsure": list(zone.unsure)}


async def load_readings(
    tx: AsyncSession, document_ids: Iterable[UUID | str]
) -> Sequence[DocumentReading]:
    wanted = [UUID(str(i)) for i in document_ids]
    if not wanted:
        return []
    rows = await tx.scalars(select(DocumentReading).where(DocumentReading.document_id.in_(wanted)))
    return rows.all()


def zone_of(reading: DocumentReading) -> Zone | None:
    """The stored zone of a reading that found one."""
    lines = (reading.fields or {}).get("lines")
    if reading.status != "read" or not lines:
        return None
    unsure = tuple((reading.fields or {}).get("unsure") or ())
    return Zone(
        reading.format or "", tuple(lines), dict(reading.checks), tuple(reading.repaired),
        unsure=unsure,
    )  # fmt: skip
