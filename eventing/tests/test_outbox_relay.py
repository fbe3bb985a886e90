"""Outbox and relay on the real database and broker: stage in the transaction, publish, mark."""

import asyncio
import contextlib
import json
import os
import signal
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from eventing_kit import PlumbingDb, TopicReader, event_type, eventually, make, unique_topic
from sqlalchemy import select
from sqlalchemy.engine import make_url

from devstack._runtime import free_port
from devstack.broker import Broker, create_topics
from devstack.databases import to_asyncpg_dsn
from eventing.db import make_engine, transaction
from eventing.outbox import Outbox
from eventing.relay import Relay, make_producer
from eventing.topics import ensure_topics
from eventing.waker import Waker

SERVICE = "relaytest"


@pytest.fixture(scope="module")
async def producer(kafka_bootstrap: str) -> AsyncIterator:
    producer = make_producer(kafka_bootstrap, client_id="eventing-tests-relay")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def relays() -> AsyncIterator[list[Relay]]:
    """Relays a test started; stopped after it, whatever happened."""
    started: list[Relay] = []
    yield started
    for relay in started:
        # Bounded: a stop that hangs should fail here, naming the relay, not at the suite timeout.
        await asyncio.wait_for(relay.stop(), timeout=10)


async def start_relay(relays: list[Relay], db: PlumbingDb, producer, **options) -> Relay:
    relay = Relay(
        engine=db.engine,
        table=db.outbox,
        producer=producer,
        channel=Outbox(db.outbox, service=SERVICE).channel,
        **options,
    )
    await relay.start()
    relays.append(relay)
    return relay


async def stage(db: PlumbingDb, *events) -> None:
    async with transaction(db.sessions) as tx:
        await Outbox(db.outbox, service=SERVICE).stage(tx, *events)


async def unpublished(db: PlumbingDb) -> int:
    return await db.scalar("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")


async def new_topic(bootstrap: str, name: str, *, partitions: int = 1) -> str:
    topic = unique_topic(name)
    await ensure_topics(bootstrap, {topic: partitions})
    return topic


async def test_an_event_staged_in_a_rolled_back_transaction_is_never_published(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "rollback"))
    await start_relay(relays, db, producer, poll_interval_s=0.2)

    with contextlib.suppress(RuntimeError):
        async with transaction(db.sessions) as tx:
            await Outbox(db.outbox, service=SERVICE).stage(tx, make(kind))
            raise RuntimeError("the state change failed")
    committed, sentinel = make(kind, note="committed"), make(kind, note="sentinel")
    await stage(db, committed)
    await stage(db, sentinel)

    # One partition, published in outbox order: once the later sentinel is read, anything
    # staged before it (the rolled-back event included) would have been read too.
    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        records = await reader.read(2)
    ids = [json.loads(r.value)["event_id"] for r in records]
    assert ids == [str(committed.event_id), str(sentinel.event_id)]
    assert await db.scalar("SELECT count(*) FROM outbox_messages") == 2


async def test_a_committed_event_is_published_with_its_request_key_ids_in_headers_and_json_payload(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "committed"))
    event = make(kind, seq=7, note="hello", correlation_id=uuid4())
    await start_relay(relays, db, producer)

    await stage(db, event)

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        (record,) = await reader.read(1)
    headers = {name: value.decode() for name, value in record.headers}
    assert record.key == str(event.request_id).encode()
    assert headers["event-id"] == str(event.event_id)
    assert headers["event-type"] == "Happened"
    assert headers["correlation-id"] == str(event.correlation_id)
    assert kind.model_validate_json(record.value) == event


async def test_a_row_is_marked_published_only_once_its_message_is_on_the_topic(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "mark"))
    events = [make(kind, seq=i) for i in range(20)]
    await start_relay(relays, db, producer)

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        await stage(db, *events)
        await eventually(lambda: _all_marked(db))
        # Marked means acknowledged by the broker (acks=all): every message is readable already.
        records = await reader.read(len(events), within=1.0)
    assert len(records) == len(events)


async def _all_marked(db: PlumbingDb) -> bool:
    return await db.scalar("SELECT bool_and(published_at IS NOT NULL) FROM outbox_messages")


async def test_a_notify_wakes_the_relay_long_before_its_poll_interval(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "notify"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0)
    # Listening, and a round done: the relay now sleeps on LISTEN for 30 s.
    await eventually(lambda: _listening_and_idle(relay))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        started = time.monotonic()
        await stage(db, make(kind))
        await reader.read(1, within=2.0)
    assert time.monotonic() - started < 2.0


async def _listening_and_idle(relay: Relay) -> bool:
    return relay.waker._listener is not None and relay.health().idle_s is not None


async def test_the_relay_outlives_its_listener_connection_being_terminated(
    db, producer, relays, kafka_bootstrap, postgres_admin_url
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "terminated"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0)
    await eventually(lambda: _listening_and_idle(relay))
    first = relay.waker._listener

    admin = await asyncpg.connect(to_asyncpg_dsn(postgres_admin_url))
    try:  # what a database restart or an operator's pg_terminate_backend does to LISTEN
        await admin.fetchval("SELECT pg_terminate_backend($1)", first.get_server_pid())
    finally:
        await admin.close()
    await eventually(lambda: _listening_again(relay, first))
    await stage(db, make(kind))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        await reader.read(1, within=3.0)  # woken by NOTIFY on the new listener, not the 30 s poll
    assert relay.health().alive


async def _listening_again(relay: Relay, old) -> bool:
    listener = relay.waker._listener
    return listener is not None and listener is not old and not listener.is_closed()


async def test_the_relay_still_publishes_by_polling_when_it_cannot_listen(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "poll"))
    relay = Relay(
        engine=db.engine,
        table=db.outbox,
        producer=producer,
        channel=Outbox(db.outbox, service=SERVICE).channel,
        poll_interval_s=0.3,
    )
    # The listener's database is unreachable: every LISTEN attempt fails at once.
    nowhere = make_url(db.url).set(host="127.0.0.1", port=free_port())
    relay.waker = Waker(nowhere, channel=relay.channel, poll_interval_s=0.3)
    await relay.start()
    relays.append(relay)
    assert relay.waker._listener is None

    await stage(db, make(kind))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        await reader.read(1, within=3.0)
    await eventually(lambda: _all_marked(db), within=2.0)  # publish, then mark: a moment later


async def test_a_lingering_relay_publishes_rows_staged_one_by_one_in_one_round(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "linger"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0, linger_s=1.0)
    await eventually(lambda: _listening_and_idle(relay))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        for seq in range(5):  # five transactions, five NOTIFYs, well within the linger
            await stage(db, make(kind, seq=seq))
        records = await reader.read(5, within=5.0)
    await eventually(lambda: _all_marked(db), within=2.0)

    assert [json.loads(r.value)["seq"] for r in records] == list(range(5))
    rounds = await db.scalar("SELECT count(DISTINCT published_at) FROM outbox_messages")
    assert rounds == 1  # one transaction marked all five; without the linger, a round each


async def test_the_relay_keeps_per_key_order_over_many_batches(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "order", partitions=3))
    request_id = uuid4()
    # 100 waiting before the relay starts (two full batches back to back), 100 staged while it runs.
    await stage(db, *(make(kind, request_id=request_id, seq=i) for i in range(100)))
    await start_relay(relays, db, producer, batch_size=50, poll_interval_s=0.2)
    for first in range(100, 200, 10):
        seqs = range(first, first + 10)
        await stage(db, *(make(kind, request_id=request_id, seq=i) for i in seqs))

    async with TopicReader(kafka_bootstrap, kind.topic, partitions=3) as reader:
        records = await reader.read(200, within=15.0)
    assert [json.loads(r.value)["seq"] for r in records] == list(range(200))
    assert len({r.partition for r in records}) == 1
    batches = await db.scalar("SELECT count(DISTINCT published_at) FROM outbox_messages")
    assert batches >= 4  # each batch is one transaction, so one published_at


async def test_two_relays_on_one_outbox_publish_every_event_once_in_key_order(
    db, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "replicas", partitions=3))
    keys = [uuid4() for _ in range(3)]
    replicas = []
    for n in range(2):  # each replica has its own engine and producer, as two processes would
        producer = make_producer(kafka_bootstrap, client_id=f"replica-{n}")
        await producer.start()
        engine = make_engine(db.url, pool_size=2)
        replica = PlumbingDb(db.url, engine, db.sessions, db.outbox, db.inbox, db.effects)
        replicas.append((producer, engine))
        await start_relay(relays, replica, producer, batch_size=20, poll_interval_s=0.1)
    try:

        async def stage_key(key):
            for first in range(0, 100, 5):
                seqs = range(first, first + 5)
                await stage(db, *(make(kind, request_id=key, seq=i) for i in seqs))

        await asyncio.gather(*(stage_key(key) for key in keys))

        async with TopicReader(kafka_bootstrap, kind.topic, partitions=3) as reader:
            await reader.read(300, within=15.0)
            await eventually(lambda: _all_marked(db))
            # Every publish was acknowledged before its row was marked: a sentinel per key
            # staged now lands after any duplicate of that key's partition.
            await stage(db, *(make(kind, request_id=key, seq=-1) for key in keys))
            records = await reader.read(303, within=15.0)
            while {r.key for r in records if json.loads(r.value)["seq"] == -1} != {
                str(key).encode() for key in keys
            }:
                records = await reader.poll()
            records = [r for r in records if json.loads(r.value)["seq"] != -1]
    finally:
        for relay in relays:
            await relay.stop()
        relays.clear()
        for producer, engine in replicas:
            await producer.stop()
            await engine.dispose()

    counts = Counter(json.loads(r.value)["event_id"] for r in records)
    per_key = defaultdict(list)
    for record in records:
        per_key[record.key].append(json.loads(record.value)["seq"])
    assert len(counts) == 300
    assert [n for n in counts.values() if n > 1] == []
    assert all(seqs == list(range(100)) for seqs in per_key.values())


async def test_events_staged_while_the_broker_is_unreachable_wait_and_are_published_once_it_is_back(
    db, relays, tmp_path: Path, caplog
):
    # A broker of our own, frozen with SIGSTOP: a restarted memory broker would lose its topics
    # (and Tansu acks a produce to a topic it lost), which would test Tansu, not the relay.
    broker = Broker(log_dir=tmp_path)
    broker.start()
    topic = unique_topic("outage")
    kind = event_type("Happened", topic)
    # A request timeout shorter than the outage: the relay sees its publishes fail and retries.
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap,
        acks="all",
        enable_idempotence=False,
        request_timeout_ms=1000,
    )
    try:
        await create_topics(broker.bootstrap, {topic: 1})
        await producer.start()
        relay = await start_relay(relays, db, producer, poll_interval_s=0.2)
        await stage(db, make(kind, seq=0))
        await eventually(lambda: _all_marked(db))

        os.kill(broker._process.pid, signal.SIGSTOP)
        try:
            during = [make(kind, seq=i) for i in range(1, 6)]
            await stage(db, *during)
            # A publish attempt timed out against the frozen broker; nothing was marked.
            await eventually(lambda: _failed_once(relay), within=15.0)
            assert await unpublished(db) == len(during)
        finally:
            os.kill(broker._process.pid, signal.SIGCONT)
        await eventually(lambda: _all_marked(db), within=15.0)

        async with TopicReader(broker.bootstrap, topic) as reader:
            records = await reader.read(1 + len(during))
        # At least once: a request that timed out may still have been written after the thaw.
        assert {json.loads(r.value)["seq"] for r in records} == set(range(6))
        assert any(_failure_of(r) == "relay" for r in caplog.records)
    finally:
        for relay in relays:
            await relay.stop()
        relays.clear()
        await producer.stop()
        broker.stop()


async def _failed_once(relay: Relay) -> bool:
    return relay.health().failures >= 1


def _failure_of(record) -> str | None:
    """The worker a `worker.failed` log line is about."""
    if isinstance(record.msg, dict) and record.msg.get("event") == "worker.failed":
        return record.msg.get("worker")
    return None


async def test_the_outbox_row_holds_ids_and_type_in_its_headers_only(db):
    kind = event_type("Happened", "eventing-test.headers")
    event = make(kind, note="Zbigniew Brzęczyszczykiewicz")

    await stage(db, event)

    async with db.engine.connect() as conn:
        row = (await conn.execute(select(db.outbox))).one()
    assert row.key == str(event.request_id)
    assert "Zbigniew" not in json.dumps(row.headers)
    assert set(row.headers) == {"event-id", "event-type", "producer", "content-type"}


async def test_stopping_the_relay_mid_batch_leaves_no_database_connection_behind(
    db, producer, kafka_bootstrap, postgres_admin_url
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "shutdown"))
    await stage(db, *(make(kind, seq=i) for i in range(3000)))
    relay = Relay(
        engine=db.engine,
        table=db.outbox,
        producer=producer,
        channel=Outbox(db.outbox, service=SERVICE).channel,
        batch_size=100,
    )
    await relay.start()
    await eventually(lambda: _some_published(db), every=0.01)

    await relay.stop()
    await db.engine.dispose()

    admin = await asyncpg.connect(to_asyncpg_dsn(postgres_admin_url))
    try:
        left = await admin.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", db.engine.url.database
        )
    finally:
        await admin.close()
    assert left == 0
    assert await unpublished(db) > 0  # it really was stopped mid-way


async def _some_published(db: PlumbingDb) -> bool:
    sql = "SELECT count(*) FROM outbox_messages WHERE published_at IS NOT NULL"
    return await db.scalar(sql) > 0
