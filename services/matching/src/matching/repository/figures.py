"""The back office's figures over a period, from matching's own decisions and review cases."""

from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from matching.repository.cases import OPEN
from matching.tables import Decision, ReviewCase

# Outcomes of a first automatic decision that answer the employer there and then.
ANSWERS = ("national_register", "existing_bis", "new_bis", "rejected")
_LOCAL_DAY = func.date(func.timezone("Europe/Brussels", Decision.decided_at))


async def load_first_outcomes(tx: AsyncSession, *, since: datetime) -> dict[str, int]:
    """Outcome → requests whose first (automatic, version 1) decision fell in the period."""
    rows = await tx.execute(
        select(Decision.outcome, func.count())
        .where(
            Decision.decided_by == "automatic",
            Decision.version == 1,
            Decision.decided_at >= since,
        )
        .group_by(Decision.outcome)
    )
    return {outcome: count for outcome, count in rows.all()}


async def load_queue(tx: AsyncSession) -> dict:
    """Open cases now: how many, how many claimed, and their age in hours (median, p90, max)."""
    age = func.extract("epoch", func.now() - ReviewCase.opened_at) / 3600
    row = (
        await tx.execute(
            select(
                func.count(),
                func.count(ReviewCase.claimed_by),
                func.percentile_cont(0.5).within_group(age),
                func.percentile_cont(0.9).within_group(age),
                func.max(age),
            ).where(ReviewCase.status.in_(OPEN))
        )
    ).one()
    size, claimed, median, p90, oldest = row
    return {
        "open": size,
        "claimed": claimed,
        "age_hours": {"median": _round(median), "p90": _round(p90), "max": _round(oldest)},
    }


async def load_decisions_per_agent_day(tx: AsyncSession, *, since: datetime) -> list[dict]:
    """Agents' decisions per Brussels calendar day, newest day first."""
    rows = await tx.execute(
        select(Decision.agent_id, _LOCAL_DAY.label("day"), func.count())
        .where(Decision.decided_by == "agent", Decision.decided_at >= since)
        .group_by(Decision.agent_id, "day")
        .order_by(_LOCAL_DAY.desc(), Decision.agent_id)
    )
    return [
        {"agent_id": agent, "day": day.isoformat(), "decisions": count}
        for agent, day, count in rows.all()
    ]


async def load_research_reasons(tx: AsyncSession, *, since: datetime) -> dict[str, int]:
    """Reason → review cases opened in the period."""
    rows = await tx.execute(
        select(ReviewCase.reason, func.count())
        .where(ReviewCase.opened_at >= since)
        .group_by(ReviewCase.reason)
        .order_by(func.count().desc())
    )
    return {reason: count for reason, count in rows.all()}


async def load_information_requests(tx: AsyncSession, *, since: datetime) -> dict[str, int]:
    """Information requests made in the period, and how each ended: answered, expired, waiting."""
    later = aliased(Decision)
    answered = exists().where(
        later.request_id == Decision.request_id,
        later.version > Decision.version,
        later.decided_by == "automatic",
    )
    expired = exists().where(
        later.request_id == Decision.request_id,
        later.version == Decision.version,
        later.outcome == "expired",
    )
    state = case((answered, literal("answered")), (expired, literal("expired")), else_="waiting")
    rows = await tx.execute(
        select(state.label("state"), func.count())
        .where(and_(Decision.outcome == "info_requested", Decision.decided_at >= since))
        .group_by("state")
    )
    found = {name: count for name, count in rows.all()}
    counts = {name: found.get(name, 0) for name in ("answered", "expired", "waiting")}
    return {"asked": sum(counts.values()), **counts}


def _round(hours: float | None) -> float | None:
    return None if hours is None else round(float(hours), 2)
