"""A consumer batch applied in one transaction, and split into single events when that fails."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from eventing_kit import TopicReader, event_type, make
from sqlalchemy import insert

from eventing.consumer import Delivery, EventConsumer, Outcome, RetryPolicy, one_after_another
from eventing.inbox import Inbox
from eventing.relay import make_producer
from eventing.topics import ensure_topics

RUN = uuid4().hex[:8]
Step = event_type("Step", f"eventing-test.batch-step.{RUN}")
POLICY = RetryPolicy(max_attempts=2, budget_s=2.0, backoff_initial_s=0.01, backoff_max_s=0.02)


def delivery(event, offset: int, *, value: bytes | None = None) -> Delivery:
    body = value if value is not None else event.model_dump_json().encode()
    return Delivery(event.topic, 0, offset, event.key, body)


@pytest.fixture
async def consumer(db, kafka_bootstrap) -> AsyncIterator[tuple[EventConsumer, list]]:
    await ensure_topics(kafka_bootstrap, {Step.topic: 1, f"{Step.topic}.dlq": 1})
    producer = make_producer(kafka_bootstrap, client_id="eventing-tests-batch")
    await producer.start()
    calls: list[list] = []

    async def effect(event, tx, handler: str) -> None:
        if event.note == "poison":
            raise LookupError("this event can never be applied")
        await tx.execute(insert(db.effects).values(event_id=event.event_id, handler=handler))

    async def one(event, tx):
        await effect(event, tx, "one")

    async def many(events, tx):
        calls.append([(e.request_id, e.seq) for e in events])
        for event in events:
            await effect(event, tx, "many")

    group = f"batch-{RUN}-{uuid4().hex[:4]}"
    yield (
        EventConsumer(
            group=group,
            handlers={Step: one},
            sessions=db.sessions,
            inbox=Inbox(db.inbox, consumer=group),
            producer=producer,
            policy=POLICY,
            batch_handler=many,
        ),
        calls,
    )
    await producer.stop()


async def test_a_batch_is_applied_in_one_call_with_each_keys_events_in_order(consumer, db):
    target, calls = consumer
    a, b = uuid4(), uuid4()
    events = [make(Step, request_id=r, seq=s) for r, s in ((a, 1), (b, 1), (a, 2), (b, 2), (a, 3))]

    outcomes = await target.process_batch([delivery(e, i) for i, e in enumerate(events)])

    assert outcomes == [Outcome.DONE] * 5
    assert len(calls) == 1
    assert [s for r, s in calls[0] if r == a] == [1, 2, 3]
    assert [s for r, s in calls[0] if r == b] == [1, 2]
    assert await db.scalar("SELECT count(*) FROM effects WHERE handler = 'many'") == 5
    assert await db.scalar("SELECT count(*) FROM processed_events") == 5


async def test_events_already_in_the_inbox_or_twice_in_the_batch_are_applied_once(consumer, db):
    target, calls = consumer
    done, new = make(Step, seq=1), make(Step, seq=2)
    await target.process_batch([delivery(done, 0)])  # alone: the single-event path

    outcomes = await target.process_batch([delivery(done, 1), delivery(new, 2), delivery(new, 3)])

    assert outcomes == [Outcome.DUPLICATE, Outcome.DONE, Outcome.DUPLICATE]
    assert calls == [[(new.request_id, 2)]]
    assert await db.scalar("SELECT count(*) FROM effects") == 2


async def test_a_batch_that_fails_is_rolled_back_and_each_event_handled_alone(
    consumer, db, kafka_bootstrap
):
    # One poison event fails the whole batch: nothing of it stays; alone, the good events are
    # applied and the poison one goes to the DLQ, as without batching.
    target, _calls = consumer
    good, poison, after = make(Step, seq=1), make(Step, seq=2, note="poison"), make(Step, seq=3)

    outcomes = await target.process_batch(
        [delivery(good, 10), delivery(poison, 11), delivery(after, 12)]
    )

    assert outcomes == [Outcome.DONE, Outcome.DEAD_LETTERED, Outcome.DONE]
    assert await db.scalar("SELECT count(*) FROM effects WHERE handler = 'many'") == 0
    assert await db.scalar("SELECT count(*) FROM effects WHERE handler = 'one'") == 2
    async with TopicReader(kafka_bootstrap, f"{Step.topic}.dlq") as dlq:
        records = await dlq.read(1)
    assert any(dict(r.headers)["dlq-original-offset"] == b"11" for r in records)


async def test_a_message_that_does_not_parse_sends_the_batch_down_the_single_event_path(
    consumer, db
):
    target, calls = consumer
    good = make(Step, seq=1)

    outcomes = await target.process_batch(
        [delivery(good, 20), delivery(make(Step), 21, value=b"{not json")]
    )

    assert outcomes == [Outcome.DONE, Outcome.DEAD_LETTERED]
    assert calls == []
    assert await db.scalar("SELECT count(*) FROM effects WHERE handler = 'one'") == 1


async def test_one_after_another_runs_each_events_own_handler_in_one_transaction(db, consumer):
    target, _calls = consumer
    events = [make(Step, seq=i) for i in range(4)]
    single = EventConsumer(
        group=target.group,
        handlers=target.handlers_by_type,
        sessions=db.sessions,
        inbox=target.inbox,
        producer=target.producer,
        policy=POLICY,
        batch_handler=one_after_another(target.handlers_by_type),
    )

    outcomes = await single.process_batch([delivery(e, 30 + i) for i, e in enumerate(events)])

    assert outcomes == [Outcome.DONE] * 4
    # Rows written by one transaction share its id (xmin).
    assert await db.scalar("SELECT count(DISTINCT xmin::text) FROM effects") == 1
    assert await db.scalar("SELECT count(*) FROM effects WHERE handler = 'one'") == 4
