"""Outbox and relay on the real database and broker: stage in the transaction, publish, mark."""

import asyncio
import contextlib
import json
from collections import Counter, defaultdict
from uuid import uuid4

from eventing_kit import (
    SERVICE,
    PlumbingDb,
    TopicReader,
    all_marked,
    event_type,
    eventually,
    make,
    new_topic,
    stage,
    start_relay,
)
from sqlalchemy import select

from eventing.db import make_engine, transaction
from eventing.outbox import Outbox
from eventing.relay import make_producer


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
        await eventually(lambda: all_marked(db))
        # Marked means acknowledged by the broker (acks=all): every message is readable already.
        records = await reader.read(len(events), within=1.0)
    assert len(records) == len(events)


async def test_the_outbox_row_holds_ids_and_type_in_its_headers_only(db):
    kind = event_type("Happened", "eventing-test.headers")
    event = make(kind, note="Zbigniew Brzęczyszczykiewicz")

    await stage(db, event)

    async with db.engine.connect() as conn:
        row = (await conn.execute(select(db.outbox))).one()
    assert row.key == str(event.request_id)
    assert "Zbigniew" not in json.dumps(row.headers)
    assert set(row.headers) == {"event-id", "event-type", "producer", "content-type"}


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
            await eventually(lambda: all_marked(db))
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
