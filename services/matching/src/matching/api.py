"""The review queue for back-office agents: list, claim, compare, decide. Agents only.

An agent sees the case (the request's personal data and the candidates), never the employer's
account: no requester, no e-mail address, no other requests.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestData
from eventing.auth import Agent
from eventing.problems import Problem
from matching import cases
from matching.engine import completed_fields, explain_candidate
from matching.handlers import lock_creation
from matching.outcomes import (
    Subject,
    assign_existing,
    assign_new_bis,
    person_from,
    reject,
    request_information,
)
from matching.registry import load_entries
from matching.tables import ReviewCase

router = APIRouter(prefix="/review", tags=["review"])


async def transaction(request: Request):
    async with request.app.state.runtime.sessions.begin() as tx:
        yield tx


Tx = Annotated[AsyncSession, Depends(transaction)]


class Worker(BaseModel):
    """The worker as the request names them (the portal formats it with contracts' rule)."""

    surnames: str
    given_names: str | None


class CaseSummary(BaseModel):
    case_id: UUID
    request_id: UUID
    employer_id: str
    worker: Worker
    reason: str
    status: str  # open | claimed | closed
    opened_at: datetime  # waiting since
    age_hours: float
    claimed_by: str | None  # the agent who holds the case
    claimed_at: datetime | None
    closed_at: datetime | None
    resolution: str | None  # same_person | new_person | request_information | reject | ...
    candidates: int


class CaseDecision(BaseModel):
    """How a closed case was resolved: by whom, when, why, and the number it gave."""

    action: str
    decided_by: str
    decided_at: datetime
    reason: str | None
    person_id: int | None
    ssin: str | None


class AgentDecision(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")

    action: Literal["same_person", "new_person", "request_information", "reject"]
    reason: str = Field(min_length=1, max_length=2000)  # why: kept in the audit trail
    person_id: int | None = None  # same_person: the registry person
    message: str | None = Field(default=None, max_length=2000)  # request_information
    missing: list[str] = Field(default_factory=list, max_length=20)
    reason_code: str = Field(default="agent_rejected", max_length=40)  # reject


def summary(case: ReviewCase) -> CaseSummary:
    age = ((case.closed_at or datetime.now(UTC)) - case.opened_at).total_seconds() / 3600
    person = case.request.get("person", {})
    return CaseSummary(
        case_id=case.id,
        request_id=case.request_id,
        employer_id=case.employer_id,
        worker=Worker(surnames=person.get("surnames", ""), given_names=person.get("given_names")),
        reason=case.reason,
        status=case.status,
        opened_at=case.opened_at,
        age_hours=round(age, 2),
        claimed_by=case.claimed_by,
        claimed_at=case.claimed_at,
        closed_at=case.closed_at,
        resolution=case.resolution,
        candidates=len(case.candidates),
    )


def case_decision(case: ReviewCase, trail) -> CaseDecision | None:
    """The closing entry of the audit trail, None while the case is open."""
    closing = next((a for a in reversed(trail) if a.action == case.resolution), None)
    if case.status != "closed" or closing is None:
        return None
    details = closing.details or {}
    return CaseDecision(
        action=closing.action,
        decided_by=closing.actor,
        decided_at=closing.at,
        reason=closing.reason,
        person_id=details.get("person_id"),
        ssin=details.get("ssin"),
    )


@router.get("/cases")
async def list_cases(
    agent: Agent,
    tx: Tx,
    reason: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CaseSummary]:
    """Open cases, oldest first (longest waiting), optionally of one reason."""
    return [summary(c) for c in await cases.load_open_cases(tx, reason=reason, limit=limit)]


@router.post("/cases/{case_id}/claim")
async def claim_case(case_id: UUID, agent: Agent, tx: Tx) -> CaseSummary:
    """Take a case; another agent's claim or a closed case is a conflict."""
    case = await _open_case(tx, case_id, agent.subject)
    if case.claimed_by != agent.subject:
        cases.claim(tx, case, agent_id=agent.subject)
    return summary(case)


@router.get("/cases/{case_id}")
async def show_case(case_id: UUID, agent: Agent, tx: Tx, request: Request) -> dict:
    """The request beside each candidate, field by field, scored against today's registry."""
    case = await cases.load_case(tx, case_id)
    if case is None:
        raise Problem(404, "review.case_not_found", "No such case.")
    data = RequestData.model_validate(case.request)
    person = person_from(data)
    ids = [c["person_id"] for c in case.candidates]
    entries = await load_entries(tx, ids)
    engine = request.app.state.handlers.engine
    scored = {s.candidate_id: s for s in await engine.score(tx, person, entries)}
    candidates = [
        {
            **explain_candidate(scored[str(e.person_id)], e),
            "person": _fields(e.identity),
            "fields": _side_by_side(person, e.identity, scored[str(e.person_id)]),
        }
        for e in sorted(entries, key=lambda e: -scored[str(e.person_id)].weight)
    ]
    trail = await cases.load_audit(tx, case.id)
    audit = [
        {"actor": a.actor, "action": a.action, "reason": a.reason, "at": a.at.isoformat()}
        for a in trail
    ]
    decision = case_decision(case, trail)
    return {
        "case": summary(case).model_dump(mode="json"),
        "request": data.model_dump(mode="json"),
        "candidates": candidates,
        "decision": decision.model_dump(mode="json") if decision else None,
        "audit": audit,
    }


@router.post("/cases/{case_id}/decision")
async def decide_case(
    case_id: UUID, body: AgentDecision, agent: Agent, tx: Tx, request: Request
) -> dict:
    """Resolve a case as an automatic decision would, recording who decided and why."""
    case = await _open_case(tx, case_id, agent.subject)
    if case.claimed_by != agent.subject:
        cases.claim(tx, case, agent_id=agent.subject)
    subject = Subject(
        case.request_id,
        case.request_version,
        case.employer_id,
        None,
        None,
        decided_by="agent",
        agent_id=agent.subject,
    )
    explanation = {"rule": f"agent:{body.action}", "case_id": str(case.id), "reason": body.reason}
    event = await _outcome(tx, subject, case, body, explanation)
    cases.close(
        tx,
        case,
        actor=agent.subject,
        resolution=body.action,
        reason=body.reason,
        details={
            "event_id": str(event.event_id),
            "person_id": body.person_id,
            "ssin": getattr(event, "ssin", None),
        },
    )
    await request.app.state.runtime.outbox.stage(tx, event)
    return {
        "case_id": str(case.id),
        "event": type(event).__name__,
        **({"ssin": event.ssin} if hasattr(event, "ssin") else {}),
    }


async def _outcome(
    tx: AsyncSession, subject: Subject, case: ReviewCase, body: AgentDecision, explanation: dict
) -> Event:
    data = RequestData.model_validate(case.request)
    if body.action == "same_person":
        entries = await load_entries(tx, [body.person_id] if body.person_id else [])
        if not entries:
            raise Problem(422, "review.person_required", "Name the registry person (person_id).")
        return await assign_existing(
            tx,
            subject,
            entries[0],
            explanation=explanation,
            completed=completed_fields(person_from(data), entries[0]),
        )
    if body.action == "new_person":
        await lock_creation(tx, data.person.birth_date)
        return await assign_new_bis(tx, subject, data, explanation=explanation)
    if body.action == "request_information":
        return await request_information(
            tx,
            subject,
            missing=body.missing,
            message=body.message or body.reason,
            explanation=explanation,
        )
    return await reject(
        tx, subject, reason_code=body.reason_code, reason=body.reason, explanation=explanation
    )


async def _open_case(tx: AsyncSession, case_id: UUID, agent_id: str) -> ReviewCase:
    case = await cases.load_case(tx, case_id, for_update=True)
    if case is None:
        raise Problem(404, "review.case_not_found", "No such case.")
    if case.status == "closed":
        raise Problem(409, "review.case_closed", "The case is already decided.")
    if case.claimed_by not in (None, agent_id):
        raise Problem(409, "review.claimed_by_another", "Another agent has claimed this case.")
    return case


_FIELDS = (
    "surnames",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
)
_AGREEMENT_OF = {
    "surnames": "surname",
    "given_names": "given_names",
    "sex": "sex",
    "birth_date": "birth_date",
    "birth_place": "birth_place",
    "birth_country": "birth_country",
    "nationality": "nationality",
}


def _fields(person) -> dict:
    return {name: getattr(person, name) for name in _FIELDS}


def _side_by_side(request_person, candidate, scored) -> list[dict]:
    """Per field: the request's value, the candidate's, and how they agree."""
    return [
        {
            "field": name,
            "request": getattr(request_person, name),
            "candidate": getattr(candidate, name),
            "agreement": str(scored.level(_AGREEMENT_OF[name])),
        }
        for name in _FIELDS
    ]
