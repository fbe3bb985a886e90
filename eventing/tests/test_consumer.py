"""EventConsumer end to end: a real FastStream KafkaBroker, the real broker and database."""

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from eventing_kit import (
    PlumbingDb,
    TopicReader,
    close_plumbing_db,
    committed_offset,
    event_type,
    eventually,
    make,
    open_plumbing_db,
)
from faststream.kafka import KafkaBroker
from sqlalchemy import insert

from eventing.consumer import Delivery, EventConsumer, Outcome, RetryPolicy, TransientError
from eventing.db import transaction
from eventing.inbox import Inbox
from eventing.logs import get_logger
from eventing.outbox import Outbox
from eventing.relay import Relay, make_producer
from eventing.topics import ensure_topics

RUN = uuid4().hex[:8]
Once = event_type("Once", f"eventing-test.once.{RUN}")
Flaky = event_type("Flaky", f"eventing-test.flaky.{RUN}")
Checked = event_type("Checked", f"eventing-test.checked.{RUN}")
Failing = event_type("Failing", f"eventing-test.failing.{RUN}")
Replayed = event_type("Replayed", f"eventing-test.replayed.{RUN}")
GROUP = f"eventing-test-{RUN}"
# Short backoff keeps the suite fast; the shape (exponential, jittered, bounded) is the same.
POLICY = RetryPolicy(max_attempts=3, budget_s=5.0, backoff_initial_s=0.05, backoff_max_s=0.2)
PERSON = "Zbigniew Brzęczyszczykiewicz"


@dataclass
class Stack:
    db: PlumbingDb
    bootstrap: str
    producer: AIOKafkaProducer
    attempts: defaultdict = field(default_factory=lambda: defaultdict(list))

    async def publish(self, topic: str, value: bytes, *, key: bytes = b"k") -> int:
        """Publish raw bytes, as any producer (or a buggy one) could; the record's offset."""
        return (await self.producer.send_and_wait(topic, value=value, key=key)).offset

    async def publish_event(self, event) -> int:
        return await self.publish(event.topic, event.model_dump_json().encode(), key=event.key)

    async def effects(self, event) -> int:
        return await self.db.scalar(
            "SELECT count(*) FROM effects WHERE event_id = :id", id=event.event_id
        )

    async def committed(self, topic: str, group: str = GROUP) -> int | None:
        return await committed_offset(self.bootstrap, group, topic)


def kafka_broker(bootstrap: str, *, graceful_timeout: float = 5.0) -> KafkaBroker:
    """Configured as eventing.messaging.Messaging configures it."""
    return KafkaBroker(
        bootstrap,
        acks="all",
        enable_idempotence=False,
        graceful_timeout=graceful_timeout,
        logger=get_logger("faststream"),
    )


def short_sessions(broker: KafkaBroker) -> None:
    """Test-only: Tansu ignores LeaveGroup; the next join waits out the leaver's session."""
    for subscriber in broker.subscribers:
        subscriber._connection_args.update(session_timeout_ms=3000, heartbeat_interval_ms=500)


async def assigned(broker: KafkaBroker, topics: set[str]) -> bool:
    consumer = broker.subscribers[0].consumer
    return consumer is not None and {tp.topic for tp in consumer.assignment()} >= topics


@pytest.fixture(scope="module")
async def stack(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[Stack]:
    """One consumer group for the module: a group join costs seconds."""
    db = await open_plumbing_db(postgres_admin_url, "consumer")
    kinds = [Once, Flaky, Checked, Failing, Replayed]
    topics = {k.topic: 1 for k in kinds} | {f"{k.topic}.dlq": 1 for k in kinds}
    await ensure_topics(kafka_bootstrap, topics)
    producer = make_producer(kafka_bootstrap, client_id="eventing-tests-consumer")
    await producer.start()
    stack = Stack(db, kafka_bootstrap, producer)
    broker = kafka_broker(kafka_bootstrap)
    consumer = EventConsumer(
        group=GROUP,
        handlers=handlers(stack),
        sessions=db.sessions,
        inbox=Inbox(db.inbox, consumer=GROUP),
        producer=producer,
        policy=POLICY,
    )
    consumer.register(broker, fetch_max_wait_ms=50)
    short_sessions(broker)
    await broker.start()
    try:
        await eventually(lambda: assigned(broker, {Once.topic, Flaky.topic}), within=30)
        yield stack
    finally:
        await broker.stop()
        await producer.stop()
        await close_plumbing_db(db, postgres_admin_url)


def handlers(stack: Stack) -> dict:
    async def on_once(event, tx):
        stack.attempts[event.event_id].append(time.monotonic())
        await record(stack, tx, event, "once")

    async def on_flaky(event, tx):
        stack.attempts[event.event_id].append(time.monotonic())
        await record(stack, tx, event, "flaky")
        if len(stack.attempts[event.event_id]) < 3:
            raise TransientError("the registry is not answering yet")

    async def on_checked(event, tx):
        await record(stack, tx, event, "checked")

    async def on_failing(event, tx):
        stack.attempts[event.event_id].append(time.monotonic())
        await record(stack, tx, event, "failing")
        raise LookupError(f"no person named {PERSON}")

    return {
        Once: on_once,
        Flaky: on_flaky,
        Checked: on_checked,
        Failing: on_failing,
        Replayed: on_once,
    }


async def record(stack: Stack, tx, event, handler: str) -> None:
    await tx.execute(insert(stack.db.effects).values(event_id=event.event_id, handler=handler))


async def test_a_handler_runs_once_for_an_event_delivered_twice(stack):
    event = make(Once)

    await stack.publish_event(event)
    last = await stack.publish_event(event)

    await eventually(lambda: _committed_past(stack, Once.topic, last), within=15)
    assert await stack.effects(event) == 1
    assert len(stack.attempts[event.event_id]) == 1


async def _committed_past(stack: Stack, topic: str, offset: int, group: str = GROUP) -> bool:
    committed = await stack.committed(topic, group)
    return committed is not None and committed > offset


async def test_a_transient_error_is_retried_with_backoff_and_the_event_processed_once(stack):
    event = make(Flaky)

    offset = await stack.publish_event(event)

    await eventually(lambda: _committed_past(stack, Flaky.topic, offset), within=15)
    times = stack.attempts[event.event_id]
    assert len(times) == 3
    assert await stack.effects(event) == 1  # the two failed attempts rolled back their work
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps[0] >= POLICY.backoff_initial_s / 2 and gaps[1] >= POLICY.backoff_initial_s


async def test_a_poison_message_goes_to_the_dlq_and_the_partition_moves_on(stack):
    not_json = b'{"name": "' + PERSON.encode() + b'", '
    invalid = json.dumps({"producer": "x", "employer_id": "1", "request_id": PERSON}).encode()
    valid = make(Checked)

    async with TopicReader(stack.bootstrap, f"{Checked.topic}.dlq") as dlq:
        offsets = [
            await stack.publish(Checked.topic, not_json),
            await stack.publish(Checked.topic, invalid),
        ]
        after = await stack.publish_event(valid)

        await eventually(lambda: _effect_recorded(stack, valid), within=15)
        parked = await dlq.read(2)

    assert [r.value for r in parked] == [not_json, invalid]
    for record, offset in zip(parked, offsets, strict=True):
        headers = dict(record.headers)
        assert headers["dlq-original-topic"] == Checked.topic.encode()
        assert headers["dlq-original-partition"] == b"0"
        assert headers["dlq-original-offset"] == str(offset).encode()
        assert headers["dlq-error-class"] == b"ValidationError"
        assert not any(b"Zbigniew" in value or b"{" in value for value in headers.values())
    await eventually(lambda: _committed_past(stack, Checked.topic, after), within=5)


async def _effect_recorded(stack: Stack, event) -> bool:
    return await stack.effects(event) == 1


async def test_a_handler_that_keeps_failing_sends_the_event_to_the_dlq_after_max_attempts(stack):
    event = make(Failing)

    async with TopicReader(stack.bootstrap, f"{Failing.topic}.dlq") as dlq:
        offset = await stack.publish_event(event)
        (parked,) = await dlq.read(1, within=15)

    headers = dict(parked.headers)
    assert headers["dlq-error-class"] == b"LookupError"
    assert headers["dlq-attempts"] == str(POLICY.max_attempts).encode()
    assert headers["dlq-original-offset"] == str(offset).encode()
    assert not any(b"Zbigniew" in value for value in headers.values())
    assert len(stack.attempts[event.event_id]) == POLICY.max_attempts
    assert await stack.effects(event) == 0
    # Nothing was recorded in the inbox either: a fixed handler may replay the event from the DLQ.
    assert (
        await stack.db.scalar(
            "SELECT count(*) FROM processed_events WHERE event_id = :id", id=event.event_id
        )
        == 0
    )
    await eventually(lambda: _committed_past(stack, Failing.topic, offset), within=5)


async def test_an_event_staged_in_an_outbox_reaches_its_handler_through_the_relay(stack):
    event = make(Replayed)
    relay = Relay(
        engine=stack.db.engine,
        table=stack.db.outbox,
        producer=stack.producer,
        channel=Outbox(stack.db.outbox, service="upstream").channel,
    )
    await relay.start()
    try:
        async with transaction(stack.db.sessions) as tx:
            await Outbox(stack.db.outbox, service="upstream").stage(tx, event)

        await eventually(lambda: _effect_recorded(stack, event), within=10)
    finally:
        await relay.stop()


class HaltsBeforeAck(EventConsumer):
    """A consumer whose process dies after its transaction committed, before the offset commit."""

    def __init__(self, *, halt: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.halt, self.outcomes, self.processed = halt, [], asyncio.Event()

    async def process(self, delivery: Delivery) -> Outcome:
        outcome = await super().process(delivery)
        self.outcomes.append(outcome)
        self.processed.set()
        if self.halt:
            await asyncio.Event().wait()  # never acked: cancelled when the broker client stops
        return outcome


async def test_an_event_processed_but_not_acked_is_redelivered_and_skipped_by_the_inbox(
    stack, postgres_admin_url
):
    group, topic = f"{GROUP}-redelivery", f"eventing-test.redelivery.{RUN}"
    Redelivered = event_type("Redelivered", topic)
    await ensure_topics(stack.bootstrap, {topic: 1, f"{topic}.dlq": 1})
    event = make(Redelivered)
    offset = await stack.publish_event(event)

    async def handle(event, tx):
        await record(stack, tx, event, "redelivered")

    def member(*, halt: bool) -> tuple[KafkaBroker, HaltsBeforeAck]:
        consumer = HaltsBeforeAck(
            halt=halt,
            group=group,
            handlers={Redelivered: handle},
            sessions=stack.db.sessions,
            inbox=Inbox(stack.db.inbox, consumer=group),
            producer=stack.producer,
            policy=POLICY,
        )
        broker = kafka_broker(stack.bootstrap, graceful_timeout=0.5)
        consumer.register(broker, fetch_max_wait_ms=50)
        short_sessions(broker)
        return broker, consumer

    first_broker, first = member(halt=True)
    await first_broker.start()
    try:
        await asyncio.wait_for(first.processed.wait(), timeout=30)
        assert await stack.effects(event) == 1
        assert await stack.committed(topic, group) is None  # processed, but not acknowledged
    finally:
        await first_broker.stop()

    second_broker, second = member(halt=False)
    await second_broker.start()
    try:
        await asyncio.wait_for(second.processed.wait(), timeout=30)
        await eventually(lambda: _committed_past(stack, topic, offset, group), within=5)
    finally:
        await second_broker.stop()

    assert first.outcomes == [Outcome.DONE]
    assert second.outcomes == [Outcome.DUPLICATE]
    assert await stack.effects(event) == 1


async def test_a_transient_failure_outlasting_the_retry_budget_is_retried_later_not_dead_lettered(
    stack,
):
    flaky_forever = event_type("FlakyForever", f"eventing-test.forever.{RUN}")
    calls = Counter()

    async def handle(event, tx):
        calls[event.event_id] += 1
        raise TransientError("still down")

    consumer = EventConsumer(
        group="budget",
        handlers={flaky_forever: handle},
        sessions=stack.db.sessions,
        inbox=Inbox(stack.db.inbox, consumer="b"),
        producer=stack.producer,
        policy=RetryPolicy(budget_s=0.3, backoff_initial_s=0.05, backoff_max_s=0.1),
    )
    event = make(flaky_forever)
    delivery = Delivery(flaky_forever.topic, 0, 42, event.key, event.model_dump_json().encode())

    assert await consumer.process(delivery) is Outcome.RETRY_LATER
    assert calls[event.event_id] > POLICY.max_attempts  # transient errors are not counted as poison


async def test_a_poison_message_is_not_dropped_when_the_dlq_cannot_be_written(stack):
    closed = make_producer(stack.bootstrap, client_id="eventing-tests-closed")
    await closed.start()
    await closed.stop()
    consumer = EventConsumer(
        group="closed",
        handlers={Checked: handlers(stack)[Checked]},
        sessions=stack.db.sessions,
        inbox=Inbox(stack.db.inbox, consumer="c"),
        producer=closed,
        policy=POLICY,
    )

    outcome = await consumer.process(Delivery(Checked.topic, 0, 7, b"k", b"not json"))

    assert outcome is Outcome.RETRY_LATER
