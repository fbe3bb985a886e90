"""The review queue for back-office agents: list, claim, compare, decide. Agents only.

An agent sees the case (the request's personal data and the candidates), never the employer's
account: no requester, no e-mail address, no other requests.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from contracts.bounds import Paragraph, RowId
from contracts.codes import PERSON_FIELDS, MissingField, RejectReason
from eventing.auth import Agent
from eventing.http import Transaction
from matching import domain
from matching.api.common import Service, refusing
from matching.service import AgentAction, ReviewCase

router = APIRouter(prefix="/review", tags=["review"])


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
    # The agent's internal note: kept in the audit trail, never sent to the employer.
    reason: Paragraph = Field(min_length=1, max_length=2000)
    person_id: RowId | None = None  # same_person: the registry person
    # Written for the employer (request_information, reject); the employer reads it as is.
    message: Paragraph | None = Field(default=None, max_length=2000)
    missing: list[MissingField] = Field(default_factory=list, max_length=20)
    reason_code: RejectReason = "agent_rejected"  # reject: the reason the employer reads


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
    tx: Transaction,
    matching: Service,
    reason: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CaseSummary]:
    """Open cases, oldest first (longest waiting), optionally of one reason."""
    return [summary(c) for c in await matching.open_cases(tx, reason=reason, limit=limit)]


@router.post("/cases/{case_id}/claim")
async def claim_case(
    case_id: UUID, agent: Agent, tx: Transaction, matching: Service
) -> CaseSummary:
    """Take a case; another agent's claim or a closed case is a conflict."""
    return summary(await refusing(matching.open_case(tx, case_id, agent.subject)))


@router.get("/cases/{case_id}")
async def show_case(case_id: UUID, agent: Agent, tx: Transaction, matching: Service) -> dict:
    """The request beside each candidate, field by field, scored against today's registry."""
    detail = await refusing(matching.case_detail(tx, case_id))
    scored = detail.scored
    candidates = [
        {
            **domain.explain_candidate(scored[str(e.person_id)], e),
            "person": _fields(e.identity),
            "fields": _side_by_side(detail.person, e.identity, scored[str(e.person_id)]),
        }
        for e in detail.entries
    ]
    audit = [
        {"actor": a.actor, "action": a.action, "reason": a.reason, "at": a.at.isoformat()}
        for a in detail.trail
    ]
    decision = case_decision(detail.case, detail.trail)
    return {
        "case": summary(detail.case).model_dump(mode="json"),
        "request": detail.data.model_dump(mode="json"),
        "candidates": candidates,
        "decision": decision.model_dump(mode="json") if decision else None,
        "audit": audit,
    }


@router.post("/cases/{case_id}/decision")
async def decide_case(
    case_id: UUID, body: AgentDecision, agent: Agent, tx: Transaction, matching: Service
) -> dict:
    """Resolve a case as an automatic decision would, recording who decided and why."""
    action = AgentAction(
        body.action,
        body.reason,
        person_id=body.person_id,
        message=body.message,
        missing=tuple(body.missing),
        reason_code=body.reason_code,
    )
    event = await refusing(matching.decide_case(tx, case_id, agent.subject, action))
    return {
        "case_id": str(case_id),
        "event": type(event).__name__,
        **({"ssin": event.ssin} if hasattr(event, "ssin") else {}),
    }


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
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def _side_by_side(request_person, candidate, scored) -> list[dict]:
    """Per field: the request's value, the candidate's, and how they agree."""
    return [
        {
            "field": name,
            "request": getattr(request_person, name),
            "candidate": getattr(candidate, name),
            "agreement": str(scored.level(_AGREEMENT_OF[name])),
        }
        for name in PERSON_FIELDS
    ]
