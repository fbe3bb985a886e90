"""The read model is derived data: rebuilt from the real topics, it equals the live one."""

import asyncio
import random
from datetime import timedelta
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from alembic import command
from sqlalchemy import select

from contracts import InfoProvided, InfoRequested, NotificationSent
from eventing.topics import catalogue_topics, ensure_topics
from history.rebuild import rebuild
from history.tables import RequestSummary, TimelineEntry


def lifecycle(ev, employer: str, day: int) -> list:
    """Submitted → information requested → corrected → assigned, with an e-mail."""
    first = ev.submitted(employer, surnames=f"Łukasiewicz{day}", at=ev.T0 + timedelta(days=day))
    common = {"request_id": first.request_id, "employer_id": employer}
    asked = InfoRequested(
        producer="matching",
        occurred_at=first.occurred_at + timedelta(hours=1),
        missing=["birth_place"],
        **common,
    )
    corrected = InfoProvided(
        producer="intake",
        occurred_at=first.occurred_at + timedelta(hours=2),
        provided_by="requester-1",
        data=first.data,
        request_version=2,
        **common,
    )
    number = ev.assigned(first, after=timedelta(hours=3)).model_copy(update={"request_version": 2})
    email = NotificationSent(
        producer="notifier",
        occurred_at=number.occurred_at,
        kind="assigned",
        notification_id=uuid4(),
        about_event_id=number.event_id,
        language="en",
        **common,
    )
    return [first, asked, corrected, number, email]


async def publish(bootstrap: str, events) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(
                event.topic, event.model_dump_json().encode(), key=event.key
            )
    finally:
        await producer.stop()


async def snapshot(sessions, employers) -> tuple[list, list]:
    """Every summary and timeline row of these employers, in a stable order."""
    async with sessions() as tx:
        summaries = (
            await tx.execute(
                select(*(c for c in RequestSummary.__table__.c if c.key != "worker_search"))
                .where(RequestSummary.employer_id.in_(employers))
                .order_by(RequestSummary.request_id)
            )
        ).all()
        timeline = (
            await tx.execute(
                select(*TimelineEntry.__table__.c)
                .join(RequestSummary)
                .where(RequestSummary.employer_id.in_(employers))
                .order_by(TimelineEntry.event_id)
            )
        ).all()
    return [tuple(r) for r in summaries], [tuple(r) for r in timeline]


async def test_a_rebuild_from_the_topics_equals_the_live_read_model(
    kafka_bootstrap, database_url, sessions, ev
):
    await ensure_topics(kafka_bootstrap, catalogue_topics(3))
    employers = [f"R{uuid4().hex[:12]}", f"R{uuid4().hex[:12]}"]
    events = [e for day in range(6) for e in lifecycle(ev, employers[day % 2], day)]
    await publish(kafka_bootstrap, events + events[:4])  # Kafka redelivers: so do we
    live_order = events + events[::3]
    random.Random(7).shuffle(live_order)
    await ev.project(sessions, *live_order)
    live = await snapshot(sessions, employers)

    report = await rebuild(database_url, kafka_bootstrap)

    assert report.events >= len(events) + 4
    assert await snapshot(sessions, employers) == live
    assert len(live[0]) == 6 and len(live[1]) == len(events)
    await asyncio.to_thread(command.check, ev.alembic_config(database_url))  # indexes came along
