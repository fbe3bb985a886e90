"""The review queue's figures: waits of decided cases and ages of open ones (for delays, metrics)."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.codes import AGENT_ACTIONS
from matching.repository.cases import OPEN
from matching.tables import ReviewCase

_DECIDED_WAIT = func.extract("epoch", ReviewCase.closed_at - ReviewCase.opened_at)
_OPEN_AGE = func.extract("epoch", func.now() - ReviewCase.opened_at)


async def load_median_waits(
    tx: AsyncSession, *, reason: str | None, window: timedelta, min_sample: int
) -> tuple[float | None, float | None]:
    """(median seconds decided cases waited in `window`, median age of open ones) for `reason`;
    the whole queue's when `reason` has fewer than `min_sample` decided cases."""
    decided = await _median(tx, _DECIDED_WAIT, _decided_within(window), reason, min_sample)
    still_open = await _median(tx, _OPEN_AGE, ReviewCase.status.in_(OPEN), reason, 1)
    return decided, still_open


def _decided_within(window: timedelta):
    return (
        (ReviewCase.status == "closed")
        & ReviewCase.resolution.in_(AGENT_ACTIONS)
        & (ReviewCase.closed_at >= func.now() - window)
    )


async def _median(tx: AsyncSession, seconds, where, reason: str | None, min_sample: int):
    query = select(func.count(), func.percentile_cont(0.5).within_group(seconds)).where(where)
    if reason is not None:
        count, median = (await tx.execute(query.where(ReviewCase.reason == reason))).one()
        if count >= min_sample:
            return median
    count, median = (await tx.execute(query)).one()
    return median if count else None
