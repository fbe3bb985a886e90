"""Named queries over intake's own tables."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import column, delete, func, insert, literal, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import FINAL_STATUSES, RequestStatus
from intake.tables import (
    Document,
    DocumentContent,
    DocumentPurge,
    DocumentReading,
    Draft,
    IdempotencyKey,
    Request,
    RequestVersion,
)

# A request that is still open or was answered; a rejected or cancelled one is no duplicate.
_LIVE = (
    RequestStatus.SUBMITTED,
    RequestStatus.UNDER_REVIEW,
    RequestStatus.INFORMATION_REQUESTED,
    RequestStatus.NUMBER_ASSIGNED,
)


async def load_request(
    tx: AsyncSession, request_id: UUID, *, employer_id: str | None = None, for_update: bool = False
) -> Request | None:
    """A request; with employer_id, only that employer's (others get None, hence 404)."""
    stmt = select(Request).where(Request.id == request_id)
    if employer_id is not None:
        stmt = stmt.where(Request.employer_id == employer_id)
    if for_update:
        stmt = stmt.with_for_update()
    return await tx.scalar(stmt)


async def lock_status(tx: AsyncSession, request_id: UUID) -> tuple[str, int] | None:
    """The request's (status, version), locked until the transaction ends; None if unknown."""
    row = (
        await tx.execute(
            select(Request.status, Request.version)
            .where(Request.id == request_id)
            .with_for_update()
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def update_request(tx: AsyncSession, request_id: UUID, values: dict) -> None:
    """Write `values` to the request's columns (a Core UPDATE: no ORM load, no flush)."""
    await tx.execute(
        update(Request.__table__).where(Request.__table__.c.id == request_id).values(values)
    )


async def load_idempotency_key(
    tx: AsyncSession, *, employer_id: str, key: str
) -> IdempotencyKey | None:
    return await tx.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.employer_id == employer_id, IdempotencyKey.key == key
        )
    )


# The idempotency key first, under the key's lock (the one `submission.replayed` takes), unless
# a call with it committed first: the unique (employer_id, key) makes a concurrent one wait for
# that call's end, and then insert nothing.
_NEW_KEY = text(
    "INSERT INTO idempotency_keys (employer_id, key, fingerprint, request_id)"
    " SELECT CAST(:k_employer AS varchar), CAST(:k_key AS varchar),"
    " CAST(:k_fingerprint AS varchar), CAST(:k_request AS uuid)"
    " FROM (SELECT pg_advisory_xact_lock(CAST(:k_lock AS bigint))) AS locked"
    " ON CONFLICT (employer_id, key) DO NOTHING RETURNING request_id"
).columns(column("request_id"))


async def save_new_request(
    tx: AsyncSession, request: Request, *, key: str, fingerprint: str, lock: int
) -> bool:
    """The idempotency key, the request and its version 1 in one statement (one round trip, no
    unit of work); False, and nothing written, when a call with this key made a request first.
    `request` stays a plain object (it is not added to the session), complete as the caller
    built it."""
    requests, versions = Request.__table__, RequestVersion.__table__
    values = {
        c.key: getattr(request, c.key)
        for c in requests.columns
        if getattr(request, c.key) is not None
    }
    version = {
        "request_id": request.id,
        "version": request.version,
        "data": request.data,
        "created_by": request.requester_id,
    }
    new_key = _NEW_KEY.bindparams(
        k_employer=request.employer_id,
        k_key=key,
        k_fingerprint=fingerprint,
        k_request=request.id,
        k_lock=lock,
    ).cte("new_key")
    keyed = select(new_key.c.request_id).exists()

    def insert_if_keyed(table, row: dict):
        rows = select(*(literal(v, table.c[k].type) for k, v in row.items())).where(keyed)
        return insert(table).from_select(list(row), rows)

    # Data-modifying CTEs all run; the key's foreign key is checked at the statement's end.
    made = await tx.scalar(
        select(func.count())
        .select_from(new_key)
        .add_cte(insert_if_keyed(requests, values).cte("new_request"))
        .add_cte(insert_if_keyed(versions, version).cte("new_version"))
    )
    return made == 1


def save_version(tx: AsyncSession, request: Request, *, created_by: str | None = None) -> None:
    tx.add(
        RequestVersion(
            request_id=request.id,
            version=request.version,
            data=request.data,
            created_by=created_by or request.requester_id,
        )
    )


def save_idempotency_key(tx: AsyncSession, request: Request, *, key: str, fingerprint: str) -> None:
    tx.add(
        IdempotencyKey(
            employer_id=request.employer_id, key=key, fingerprint=fingerprint, request_id=request.id
        )
    )


async def load_versions(tx: AsyncSession, request_id: UUID) -> Sequence[RequestVersion]:
    return (
        await tx.scalars(
            select(RequestVersion)
            .where(RequestVersion.request_id == request_id)
            .order_by(RequestVersion.version)
        )
    ).all()


async def load_same_person(
    tx: AsyncSession, *, employer_id: str, person_key: str
) -> Sequence[Request]:
    """This employer's open or answered requests for what looks like the same person."""
    return (
        await tx.scalars(
            select(Request)
            .where(
                Request.employer_id == employer_id,
                Request.person_key == person_key,
                Request.status.in_([s.value for s in _LIVE]),
            )
            .order_by(Request.submitted_at.desc())
            .limit(5)
        )
    ).all()


async def load_draft(
    tx: AsyncSession, draft_id: UUID, *, employer_id: str, for_update: bool = False
) -> Draft | None:
    """One of this employer's drafts (another employer's reads as absent)."""
    stmt = select(Draft).where(Draft.id == draft_id, Draft.employer_id == employer_id)
    return await tx.scalar(stmt.with_for_update() if for_update else stmt)


async def load_open_drafts(
    tx: AsyncSession, *, employer_id: str, requester_id: str, limit: int = 20
) -> Sequence[Draft]:
    """The author's drafts not sent yet, the most recently changed first (a draft is private)."""
    return (
        await tx.scalars(
            select(Draft)
            .where(
                Draft.employer_id == employer_id,
                Draft.requester_id == requester_id,
                Draft.submitted_request_id.is_(None),
            )
            .order_by(Draft.updated_at.desc())
            .limit(limit)
        )
    ).all()


async def load_open_amendment(tx: AsyncSession, request_id: UUID) -> Draft | None:
    return await tx.scalar(
        select(Draft).where(
            Draft.amends_request_id == request_id, Draft.submitted_request_id.is_(None)
        )
    )


async def load_documents(
    tx: AsyncSession, ids: Iterable[str | UUID], *, employer_id: str
) -> dict[UUID, Document]:
    wanted = [UUID(str(i)) for i in ids]
    if not wanted:
        return {}
    rows = await tx.scalars(
        select(Document).where(Document.id.in_(wanted), Document.employer_id == employer_id)
    )
    return {row.id: row for row in rows}


async def load_document(
    tx: AsyncSession, document_id: UUID, *, employer_id: str
) -> Document | None:
    return await tx.scalar(
        select(Document).where(Document.id == document_id, Document.employer_id == employer_id)
    )


# Agents research open cases: they may read the scans of a request while it is being researched
# or waits for the employer's answer, and nothing else of the employer's account.
RESEARCHED = ("under_review", "information_requested")


async def load_document_under_research(tx: AsyncSession, document_id: UUID) -> Document | None:
    return await tx.scalar(
        select(Document)
        .join(Request, Request.id == Document.request_id)
        .where(Document.id == document_id, Request.status.in_(RESEARCHED))
    )


async def load_content(tx: AsyncSession, document_id: UUID) -> bytes | None:
    return await tx.scalar(
        select(DocumentContent.data).where(DocumentContent.document_id == document_id)
    )


async def save_document(tx: AsyncSession, document: Document, data: bytes) -> None:
    tx.add(document)
    await tx.flush()
    tx.add(DocumentContent(document_id=document.id, data=data))


async def delete_loose_documents(tx: AsyncSession, ids: Iterable[str | UUID]) -> None:
    """Delete scans that never became part of a request (those of a request are kept for it)."""
    wanted = [UUID(str(i)) for i in ids]
    await tx.execute(delete(Document).where(Document.id.in_(wanted), Document.request_id.is_(None)))


async def attach_documents(
    tx: AsyncSession, ids: Iterable[str | UUID], *, request_id: UUID
) -> None:
    ids = [UUID(str(i)) for i in ids]
    if not ids:  # most requests come without scans: no round trip for an empty IN
        return
    await tx.execute(update(Document).where(Document.id.in_(ids)).values(request_id=request_id))


async def load_awaiting_information(
    tx: AsyncSession, *, asked_before: datetime, unreminded: bool = False, limit: int
) -> Sequence[Request]:
    """Requests waiting on the employer since before the cutoff, oldest first, locked."""
    stmt = select(Request).where(
        Request.status == RequestStatus.INFORMATION_REQUESTED.value,
        Request.info_requested_at < asked_before,
    )
    if unreminded:
        stmt = stmt.where(Request.reminded_at.is_(None))
    stmt = stmt.order_by(Request.info_requested_at).limit(limit)
    return (await tx.scalars(stmt.with_for_update(skip_locked=True))).all()


async def load_purgeable(
    tx: AsyncSession, *, final_before: datetime, limit: int
) -> Sequence[Document]:
    """Unpurged scans of requests final before the cutoff; rows another replica holds: skipped."""
    stmt = (
        select(Document)
        .join(Request, Request.id == Document.request_id)
        .where(
            Request.status.in_([s.value for s in FINAL_STATUSES]),
            Request.finalised_at < final_before,
            Document.purged_at.is_(None),
        )
        .order_by(Document.id)
        .limit(limit)
        .with_for_update(of=Document, skip_locked=True)
    )
    return (await tx.scalars(stmt)).all()


async def save_purge(tx: AsyncSession, document: Document, *, now: datetime, reason: str) -> None:
    """Delete the bytes and what was read from them, keep the metadata (ids and hash stay
    meaningful), log the purge."""
    await tx.execute(delete(DocumentContent).where(DocumentContent.document_id == document.id))
    await tx.execute(delete(DocumentReading).where(DocumentReading.document_id == document.id))
    document.purged_at, document.display_name = now, None
    tx.add(
        DocumentPurge(
            document_id=document.id, request_id=document.request_id, purged_at=now, reason=reason
        )
    )
