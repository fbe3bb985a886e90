"""A case's expected delay comes from the live review queue: cases of the same reason."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import delete

from contracts import ReviewOpened
from matching.tables import ReviewCase

REASON = "under_working_age"


async def seed(
    stack, *, waited_days: list[float], resolution="same_person", ago_days=1.0, open_=False
):
    now = datetime.now(UTC)
    async with stack.sessions.begin() as tx:
        for days in waited_days:
            closed = now - timedelta(days=ago_days)
            tx.add(
                ReviewCase(
                    id=uuid4(),
                    request_id=uuid4(),
                    request_version=1,
                    employer_id="0123456789",
                    reason=REASON,
                    status="open" if open_ else "closed",
                    request={},
                    candidates=[],
                    opened_at=(now if open_ else closed) - timedelta(days=days),
                    closed_at=None if open_ else closed,
                    resolution=None if open_ else resolution,
                )
            )


async def minor_review(stack, make) -> ReviewOpened:
    event = make.submitted(make.data(surnames=make.surname(), birth_date="2014-02"))
    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)
    assert isinstance(outcome, ReviewOpened) and outcome.reason == REASON
    return outcome


async def test_the_expected_delay_is_the_median_wait_of_recent_cases_of_the_same_reason(
    stack, make
):
    async with stack.sessions.begin() as tx:
        await tx.execute(delete(ReviewCase))
    await seed(stack, waited_days=[2, 2.5, 10])
    await seed(stack, waited_days=[40], ago_days=90)  # decided too long ago
    await seed(stack, waited_days=[40], resolution="superseded")  # the employer's doing

    first = await minor_review(stack, make)

    assert first.expected_delay_days == 3

    # The case just opened is open, 0 days old; a backlog of older open cases raises the wait.
    await seed(stack, waited_days=[6.5, 6.5, 6.5], open_=True)
    second = await minor_review(stack, make)

    assert second.expected_delay_days == 7
