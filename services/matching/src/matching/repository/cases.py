"""Decisions, review cases and their audit trail: record, open, load, claim, close."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import exists, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.keys import creation_lock_key
from matching.domain.outcomes import Subject
from matching.metrics import count_decision
from matching.tables import Decision, RegistryLookup, ReviewAudit, ReviewCase

OPEN = ("open", "claimed")


async def load_open_cases(
    tx: AsyncSession, *, reason: str | None = None, limit: int = 100
) -> list[ReviewCase]:
    """Cases still to decide, oldest first."""
    query = select(ReviewCase).where(ReviewCase.status.in_(OPEN))
    if reason:
        query = query.where(ReviewCase.reason == reason)
    return list(await tx.scalars(query.order_by(ReviewCase.opened_at).limit(limit)))


async def load_case(
    tx: AsyncSession, case_id: UUID, *, for_update: bool = False
) -> ReviewCase | None:
    query = select(ReviewCase).where(ReviewCase.id == case_id)
    return await tx.scalar(query.with_for_update() if for_update else query)


async def load_audit(tx: AsyncSession, case_id: UUID) -> list[ReviewAudit]:
    return list(
        await tx.scalars(
            select(ReviewAudit).where(ReviewAudit.case_id == case_id).order_by(ReviewAudit.id)
        )
    )


def audit(
    tx: AsyncSession,
    case_id: UUID,
    *,
    actor: str,
    action: str,
    reason: str | None = None,
    details: dict | None = None,
) -> None:
    tx.add(
        ReviewAudit(
            case_id=case_id, actor=actor, action=action, reason=reason, details=details or {}
        )
    )


def claim(tx: AsyncSession, case: ReviewCase, *, agent_id: str) -> None:
    case.status, case.claimed_by, case.claimed_at = "claimed", agent_id, datetime.now(UTC)
    audit(tx, case.id, actor=agent_id, action="claimed")


def close(
    tx: AsyncSession,
    case: ReviewCase,
    *,
    actor: str,
    resolution: str,
    reason: str | None,
    details: dict | None = None,
) -> None:
    case.status, case.resolution, case.closed_at = "closed", resolution, datetime.now(UTC)
    audit(tx, case.id, actor=actor, action=resolution, reason=reason, details=details)


async def close_open_cases(tx: AsyncSession, request_id: UUID, *, resolution: str) -> None:
    """Close every open case of a request (cancelled, or superseded by a corrected version)."""
    closed = await tx.scalars(
        update(ReviewCase)
        .where(ReviewCase.request_id == request_id, ReviewCase.status.in_(OPEN))
        .values(status="closed", resolution=resolution, closed_at=datetime.now(UTC))
        .returning(ReviewCase.id)
    )
    for case_id in closed.all():
        audit(tx, case_id, actor="system", action=resolution)


def save_decision(
    tx: AsyncSession, subject: Subject, *, outcome: str, ssin: str | None = None, explanation: dict
) -> None:
    tx.add(
        Decision(
            request_id=subject.request_id,
            version=subject.version,
            decided_by=subject.decided_by,
            agent_id=subject.agent_id,
            employer_id=subject.employer_id,
            outcome=outcome,
            ssin=ssin,
            explanation=explanation,
        )
    )
    count_decision(tx, outcome=outcome, decided_by=subject.decided_by)


def save_case(
    tx: AsyncSession, subject: Subject, *, reason: str, request: dict, candidates: list[dict]
) -> UUID:
    """Open a review case holding the request as submitted and the candidates found; its id."""
    case_id = uuid4()
    tx.add(
        ReviewCase(
            id=case_id,
            request_id=subject.request_id,
            request_version=subject.version,
            employer_id=subject.employer_id,
            reason=reason,
            status="open",
            request=request,
            candidates=candidates,
        )
    )
    return case_id


async def is_settled(tx: AsyncSession, request_id: UUID, version: int) -> bool:
    """True when this version (or a later one) was decided, or the request was cancelled."""
    decided = (Decision.request_id == request_id) & (
        (Decision.version >= version) | (Decision.outcome == "cancelled")
    )
    return bool(await tx.scalar(select(exists().where(decided))))


# is_settled, then lock_creation unless settled, in one round trip: the check reads as it did
# before the lock (its snapshot is taken first), and every statement after the lock reads anew.
_SETTLED_ELSE_LOCK = text(
    "SELECT s.settled FROM (SELECT EXISTS (SELECT 1 FROM decisions"
    " WHERE request_id = :request_id AND (version >= :version OR outcome = 'cancelled'))"
    " AS settled) s LEFT JOIN LATERAL (SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"
    " WHERE NOT s.settled) locked ON true"
)


async def settled_else_lock(
    tx: AsyncSession, request_id: UUID, version: int, birth_date: str | None
) -> bool:
    """True when this version was settled (is_settled); else False, with lock_creation held."""
    return bool(
        await tx.scalar(
            _SETTLED_ELSE_LOCK,
            {
                "request_id": request_id,
                "version": version,
                "key": creation_lock_key(birth_date),
            },
        )
    )


async def lock_creation(tx: AsyncSession, birth_date: str | None) -> None:
    """Serialise search-then-create for one birth date until this transaction ends.

    Under READ COMMITTED the search that follows the lock sees what the previous holder filed,
    so two employers submitting the same new person at once get one BIS number.
    """
    await tx.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": creation_lock_key(birth_date)},
    )


async def save_lookup(
    tx: AsyncSession, *, agent_id: str, case_id: UUID | None, query: dict, person_ids: list[int]
) -> None:
    """Audit one agent search of the registry: who, for which case, what was asked and found."""
    await tx.execute(
        insert(RegistryLookup).values(
            agent_id=agent_id, case_id=case_id, query=query, person_ids=person_ids
        )
    )


async def was_found_by(tx: AsyncSession, *, agent_id: str, case_id: UUID, person_id: int) -> bool:
    """True when this agent's audited look-up for this case returned this person."""
    found = (
        (RegistryLookup.agent_id == agent_id)
        & (RegistryLookup.case_id == case_id)
        & RegistryLookup.person_ids.any(person_id)
    )
    return bool(await tx.scalar(select(exists().where(found))))
