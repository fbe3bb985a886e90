"""The back office's figures (GET /review/metrics): what the metrics page charts. Agents and
their managers only.

Counts and codes only, never a worker's data: the page is for steering the back office.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from eventing.auth import BackOffice
from eventing.http import Transaction
from matching.service import back_office_figures

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
    reader: BackOffice, tx: Transaction, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> Figures:
    """The period's figures (the last `days` days) and the queue as it is now."""
    since = datetime.now(UTC) - timedelta(days=days)
    found = await back_office_figures(tx, since=since)
    return Figures.model_validate({"since": since, "days": days, **found})
