"""Handlers against a real PostgreSQL database brought to head by the real migrations."""

import asyncio
from datetime import timedelta
from uuid import uuid4

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


def _journeys(ev, employer):
    """Three requests' events in a consumer's order: a decision before its submission, an
    e-mail, a late information request that must not move the status back."""
    early, plain, late = (
        ev.submitted(employer, surnames=n) for n in ("Müller", "Nowak", "Ionescu")
    )
    stale = InfoRequested(
        producer="matching",
        request_id=late.request_id,
        employer_id=employer,
        occurred_at=late.occurred_at + timedelta(seconds=30),
        missing=["sex"],
    )
    email = NotificationSent(
        producer="notifier",
        request_id=plain.request_id,
        employer_id=employer,
        notification_id=plain.event_id,
        kind="submitted",
        about_event_id=plain.event_id,
        language="en",
        occurred_at=plain.occurred_at + timedelta(seconds=5),
    )
    events = [ev.assigned(early), plain, late, early, email, ev.assigned(late), stale]
    return [early, plain, late], events


def _state(summary: RequestSummary) -> tuple:
    return (
        summary.worker_name_key,
        summary.status,
        summary.ssin,
        summary.status_version,
        summary.action_required,
        summary.last_change_at - summary.submitted_at if summary.submitted_at else None,
        summary.requester_key,
    )


async def test_a_batch_in_one_transaction_projects_what_one_event_at_a_time_does(sessions, ev):
    one_by_one, batched = f"E{uuid4().hex[:12]}", f"E{uuid4().hex[:12]}"
    requests_a, events_a = _journeys(ev, one_by_one)
    requests_b, events_b = _journeys(ev, batched)

    await ev.project(sessions, *events_a)
    await ev.project_batch(sessions, *events_b)

    for a, b in zip(requests_a, requests_b, strict=True):
        assert await timeline_of(sessions, b.request_id) == await timeline_of(
            sessions, a.request_id
        )
        summary_a = await summary_of(sessions, a.request_id)
        summary_b = await summary_of(sessions, b.request_id)
        assert _state(summary_b) == _state(summary_a)
    assert (await summary_of(sessions, requests_b[2].request_id)).status == "number_assigned"


async def test_a_batch_replaying_applied_events_changes_nothing(sessions, employer, ev):
    first = ev.submitted(employer)
    number = ev.assigned(first)
    await ev.project_batch(sessions, first, number)
    before = _state(await summary_of(sessions, first.request_id))

    # A replay that slipped past the inbox (a rebuild, a second consumer group's copy).
    await ev.project_batch(sessions, number, first)

    assert await timeline_of(sessions, first.request_id) == ["submitted", "number_assigned"]
    assert _state(await summary_of(sessions, first.request_id)) == before
