"""At-least-once delivery with exactly-once effects: replays change nothing, poison is parked."""

import json
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import CATALOGUE
from devstack.broker import read_to_end, readable_ends
from devstack.databases import to_asyncpg_dsn
from tests.support import eventually, sample_request

CONSUMER_GROUPS = ("intake", "matching", "notifier", "history")


async def groups_caught_up(bootstrap: str, topics) -> bool:
    """True when every consumer group has committed up to the end of every partition it reads."""
    # The end is what can be read, not what the broker reports (which can lag behind).
    ends = await readable_ends(bootstrap, topics)
    reads = {
        "matching": [
            t
            for t in topics
            if t.startswith("intake.")
            and t not in ("intake.info-reminded", "intake.request-expired")
        ],
        "intake": [t for t in topics if t.startswith("matching.")],
        "history": list(topics),
        "notifier": [
            t
            for t in topics
            if t.startswith(("intake.", "matching.")) and t != "intake.info-provided"
        ],
    }
    for group, subscribed in reads.items():
        # A consumer with a group id but manual assignment reads the group's offsets without joining.
        probe = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await probe.start()
        try:
            await probe.topics()
            partitions = [
                TopicPartition(t, p)
                for t in subscribed
                for p in probe.partitions_for_topic(t) or ()
            ]
            probe.assign(partitions)
            for tp in partitions:
                if (await probe.committed(tp) or 0) < ends[tp]:
                    return False
        finally:
            await probe.stop()
    return True


async def count(system, service: str, sql: str, *args) -> int:
    connection = await asyncpg.connect(to_asyncpg_dsn(system.database_urls[service]))
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


async def effects(system, request_id: uuid.UUID, smtp_sink) -> dict:
    return {
        "bis_numbers": await count(
            system, "matching", "SELECT count(*) FROM bis_numbers WHERE request_id = $1", request_id
        ),
        "decisions": await count(
            system, "matching", "SELECT count(*) FROM decisions WHERE request_id = $1", request_id
        ),
        "timeline": await count(
            system,
            "history",
            "SELECT count(*) FROM timeline_entries WHERE request_id = $1",
            request_id,
        ),
        "notifications": await count(
            system,
            "notifier",
            "SELECT count(*) FROM notifications WHERE request_id = $1",
            request_id,
        ),
        "versions": await count(
            system,
            "intake",
            "SELECT count(*) FROM request_versions WHERE request_id = $1",
            request_id,
        ),
        "emails": len([m for m in smtp_sink.mailbox.list() if str(request_id) in m.text]),
    }


async def test_replaying_every_event_of_a_request_changes_nothing(
    system, gateway, actor, smtp_sink
):
    employer = actor()
    response = await gateway.post(
        "/api/requests",
        json=sample_request(),
        headers={**employer.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    request_id = uuid.UUID(response.json()["id"])

    async def settled():
        now = await effects(system, request_id, smtp_sink)
        # received + number assigned: two e-mails, and both recorded on the timeline
        return now if now["emails"] == 2 and now["timeline"] == 4 else None

    before = await eventually(settled, within=40)
    topics = [event.topic for event in CATALOGUE]
    originals = await read_to_end(
        system.infra.kafka_bootstrap, topics, match=lambda r: r.key == str(request_id).encode()
    )
    assert {r.topic for r in originals} >= {
        "intake.request-submitted",
        "matching.number-assigned",
        "notifier.notification-sent",
    }

    producer = AIOKafkaProducer(bootstrap_servers=system.infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for record in originals:
            await producer.send_and_wait(
                record.topic, record.value, key=record.key, headers=list(record.headers)
            )
    finally:
        await producer.stop()

    async def replays_consumed():
        duplicates = await count(
            system,
            "history",
            "SELECT count(*) FROM processed_events WHERE event_id = ANY($1::uuid[])",
            [json.loads(r.value)["event_id"] for r in originals],
        )
        return duplicates == len(originals) and await groups_caught_up(
            system.infra.kafka_bootstrap, topics
        )

    await eventually(replays_consumed, within=30)
    assert await effects(system, request_id, smtp_sink) == before


async def test_a_poison_message_goes_to_the_dlq_and_the_next_message_is_processed(
    system, gateway, actor
):
    employer = actor()
    key = str(uuid.uuid4()).encode()
    poison = json.dumps({"nonce": str(uuid.uuid4()), "surnames": "Secretname"}).encode()
    producer = AIOKafkaProducer(bootstrap_servers=system.infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait("intake.request-submitted", poison, key=key)
    finally:
        await producer.stop()

    response = await gateway.post(
        "/api/requests",
        json=sample_request(),
        headers={**employer.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    request_id = response.json()["id"]

    async def assigned():
        r = await gateway.get(f"/api/requests/{request_id}", headers=employer.headers)
        return r.json()["status"] == "number_assigned"

    await eventually(assigned)

    async def parked():
        found = await read_to_end(
            system.infra.kafka_bootstrap,
            ["intake.request-submitted.dlq"],
            match=lambda r: r.value == poison,
        )
        return (
            found
            if {dict(r.headers)["dlq-consumer-group"] for r in found}
            >= {b"matching", b"history", b"notifier"}
            else None
        )

    dead = await eventually(parked, within=30)
    headers = dict(dead[0].headers)
    assert headers["dlq-original-topic"] == b"intake.request-submitted"
    assert headers["dlq-error-class"] == b"ValidationError"
    assert int(headers["dlq-original-offset"]) >= 0 and int(headers["dlq-original-partition"]) >= 0
    assert not any(b"Secretname" in value for value in headers.values())
