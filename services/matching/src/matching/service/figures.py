"""The back office's figures: first outcomes, the review queue and its expected delays."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.codes import REVIEW_REASONS
from matching.repository import figures
from matching.service.outcomes import expected_delay


async def back_office_figures(tx: AsyncSession, *, since: datetime) -> dict:
    """What the back office steers by, since `since`, and the review queue as it is now."""
    outcomes = await figures.load_first_outcomes(tx, since=since)
    total = sum(outcomes.values())
    at_once = sum(count for outcome, count in outcomes.items() if outcome in figures.ANSWERS)
    return {
        "answered_at_once": {
            "requests": total,
            "at_once": at_once,
            "share": round(at_once / total, 4) if total else None,
            "by_outcome": outcomes,
        },
        "queue": await figures.load_queue(tx),
        "decisions_per_agent_day": await figures.load_decisions_per_agent_day(tx, since=since),
        "research_reasons": await figures.load_research_reasons(tx, since=since),
        "information_requests": await figures.load_information_requests(tx, since=since),
        "expected_delay_days": {r: await expected_delay(tx, r) for r in REVIEW_REASONS},
    }
