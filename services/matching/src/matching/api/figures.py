"""The back office's figures (GET /review/metrics): what the metrics page charts. Agents and
their managers only.

Counts and codes only, never a worker's data: the page is for steering the back office.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from contracts.codes import REVIEW_REASONS
from eventing.auth import BackOffice
from matching.api.common import Tx
from matching.repository import figures
from matching.service import expected_delay

router = APIRouter(prefix="/review", tags=["review"])


class AnsweredAtOnce(BaseModel):
    requests: int  # first decisions in the period
    at_once: int  # a number or a refusal there and then, without an agent or the employer
    share: float | None  # at_once / requests, None without any request
    by_outcome: dict[str, int]


class QueueAge(BaseModel):
    median: float | None
    p90: float | None
    max: float | None


class Queue(BaseModel):
    open: int
    claimed: int
    age_hours: QueueAge


class AgentDay(BaseModel):
    agent_id: str
    day: str  # Brussels calendar day, ISO
    decisions: int


class InformationRequests(BaseModel):
    asked: int  # made in the period
    answered: int
    expired: int
    waiting: int


class Figures(BaseModel):
    since: datetime
    days: int
    answered_at_once: AnsweredAtOnce
    queue: Queue
    decisions_per_agent_day: list[AgentDay]
    research_reasons: dict[str, int]
    information_requests: InformationRequests
    expected_delay_days: dict[str, int | None]


@router.get("/metrics")
async def metrics(
    reader: BackOffice, tx: Tx, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> Figures:
    """The period's figures (the last `days` days) and the queue as it is now."""
    since = datetime.now(UTC) - timedelta(days=days)
    outcomes = await figures.load_first_outcomes(tx, since=since)
    total = sum(outcomes.values())
    at_once = sum(count for outcome, count in outcomes.items() if outcome in figures.ANSWERS)
    return Figures(
        since=since,
        days=days,
        answered_at_once=AnsweredAtOnce(
            requests=total,
            at_once=at_once,
            share=round(at_once / total, 4) if total else None,
            by_outcome=outcomes,
        ),
        queue=Queue.model_validate(await figures.load_queue(tx)),
        decisions_per_agent_day=await figures.load_decisions_per_agent_day(tx, since=since),
        research_reasons=await figures.load_research_reasons(tx, since=since),
        information_requests=InformationRequests.model_validate(
            await figures.load_information_requests(tx, since=since)
        ),
        expected_delay_days={r: await expected_delay(tx, r) for r in REVIEW_REASONS},
    )
