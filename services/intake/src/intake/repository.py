"""Named queries over intake's own tables."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.tables import IdempotencyKey, Request, RequestVersion


async def load_request(tx: AsyncSession, request_id: UUID, *, employer_id: str | None = None,
                       for_update: bool = False) -> Request | None:
    """A request; with employer_id, only that employer's (others get None, hence 404)."""
    stmt = select(Request).where(Request.id == request_id)
    if employer_id is not None:
        stmt = stmt.where(Request.employer_id == employer_id)
    if for_update:
        stmt = stmt.with_for_update()
    return await tx.scalar(stmt)


async def load_idempotency_key(tx: AsyncSession, *, employer_id: str, key: str) -> IdempotencyKey | None:
    return await tx.scalar(
        select(IdempotencyKey).where(IdempotencyKey.employer_id == employer_id, IdempotencyKey.key == key)
    )


async def save_new_request(tx: AsyncSession, request: Request, *, key: str, fingerprint: str) -> None:
    tx.add(request)
    await tx.flush()  # the request row first: the version and the key refer to it
    tx.add(RequestVersion(request_id=request.id, version=request.version, data=request.data,
                          created_by=request.requester_id))
    tx.add(IdempotencyKey(employer_id=request.employer_id, key=key, fingerprint=fingerprint,
                          request_id=request.id))
