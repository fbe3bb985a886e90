"""The relay through an outage and a stop: rows staged while the broker is frozen wait and are
published once it is back; a stop mid-batch leaves no database connection behind."""

import json
import os
import signal
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from eventing_kit import (
    PlumbingDb,
    TopicReader,
    all_marked,
    event_type,
    eventually,
    make,
    new_relay,
    new_topic,
    stage,
    start_relay,
    unique_topic,
    unpublished,
)

from devstack.broker import Broker, create_topics
from devstack.databases import to_asyncpg_dsn
from eventing.relay import Relay


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
        await eventually(lambda: all_marked(db))

        os.kill(broker._process.pid, signal.SIGSTOP)
        try:
            during = [make(kind, seq=i) for i in range(1, 6)]
            await stage(db, *during)
            # A publish attempt timed out against the frozen broker; nothing was marked.
            await eventually(lambda: _failed_once(relay), within=15.0)
            assert await unpublished(db) == len(during)
        finally:
            os.kill(broker._process.pid, signal.SIGCONT)
        await eventually(lambda: all_marked(db), within=15.0)

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


async def test_stopping_the_relay_mid_batch_leaves_no_database_connection_behind(
    db, producer, kafka_bootstrap, postgres_admin_url
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "shutdown"))
    await stage(db, *(make(kind, seq=i) for i in range(3000)))
    relay = new_relay(db, producer, batch_size=100)
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
