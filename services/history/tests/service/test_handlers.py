"""Handlers against a real PostgreSQL database brought to head by the real migrations."""

import asyncio
from datetime import timedelta

from alembic import command
from sqlalchemy import func, select

from contracts import InfoRequested, NotificationSent
from history.tables import RequestSummary, TimelineEntry


async def timeline_of(sessions, request_id) -> list[str]:
    async with sessions() as tx:
        return list(
            await tx.scalars(
                select(TimelineEntry.kind)
                .where(TimelineEntry.request_id == request_id)
                .order_by(TimelineEntry.occurred_at)
            )
        )


async def summary_of(sessions, request_id) -> RequestSummary:
    async with sessions() as tx:
        return await tx.get(RequestSummary, request_id)


async def test_the_migrations_match_the_tables_with_no_drift(database_url, ev):
    await asyncio.to_thread(command.check, ev.alembic_config(database_url))


async def test_a_replayed_event_leaves_one_timeline_entry(sessions, employer, ev):
    first = ev.submitted(employer)
    number = ev.assigned(first)

    await ev.project(sessions, first, number, number, first)

    assert await timeline_of(sessions, first.request_id) == ["submitted", "number_assigned"]
    assert (await summary_of(sessions, first.request_id)).status == "number_assigned"


async def test_a_decision_before_the_submission_still_ends_assigned(sessions, employer, ev):
    first = ev.submitted(employer, surnames="Müller")
    number = ev.assigned(first)

    await ev.project(sessions, number, first)

    summary = await summary_of(sessions, first.request_id)
    assert (summary.status, summary.ssin, summary.worker_name_key) == (
        "number_assigned",
        "90440200134",
        "muller anna",
    )
    assert summary.last_change_at == number.occurred_at


async def test_a_late_information_request_never_moves_the_status_back(sessions, employer, ev):
    first = ev.submitted(employer)
    late = InfoRequested(
        producer="matching",
        request_id=first.request_id,
        employer_id=employer,
        occurred_at=first.occurred_at + timedelta(seconds=30),
        missing=["sex"],
    )

    await ev.project(sessions, first, ev.assigned(first), late)

    summary = await summary_of(sessions, first.request_id)
    assert (summary.status, summary.action_required) == ("number_assigned", False)
    assert len(await timeline_of(sessions, first.request_id)) == 3


async def test_an_email_before_its_request_is_kept_and_the_request_is_not_listed_yet(
    sessions, employer, ev
):
    first = ev.submitted(employer)
    email = NotificationSent(
        producer="notifier",
        request_id=first.request_id,
        employer_id=employer,
        notification_id=first.event_id,
        kind="submitted",
        about_event_id=first.event_id,
        language="en",
        occurred_at=first.occurred_at + timedelta(seconds=5),
    )

    await ev.project(sessions, email)
    async with sessions() as tx:
        listed = await tx.scalar(
            select(func.count())
            .select_from(RequestSummary)
            .where(RequestSummary.employer_id == employer, RequestSummary.submitted_at.is_not(None))
        )
    await ev.project(sessions, first)

    assert listed == 0
    assert await timeline_of(sessions, first.request_id) == ["submitted", "email_sent"]
    assert (await summary_of(sessions, first.request_id)).last_change_at == first.occurred_at
