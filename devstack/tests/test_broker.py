"""The embedded broker against real aiokafka clients."""

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from devstack.broker import BrokerError, create_topics


def unique(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:8]}"


async def test_topics_are_created_with_the_requested_partition_counts(kafka_bootstrap):
    one, four = unique("devstack.one"), unique("devstack.four")

    await create_topics(kafka_bootstrap, {one: 1, four: 4})
    await create_topics(kafka_bootstrap, {one: 1, four: 4})

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([one, four])
    finally:
        await admin.close()
    assert {t["topic"]: len(t["partitions"]) for t in described} == {one: 1, four: 4}


async def test_an_existing_topic_with_another_partition_count_is_an_error(kafka_bootstrap):
    topic = unique("devstack.mismatch")
    await create_topics(kafka_bootstrap, {topic: 2})

    with pytest.raises(BrokerError, match="partition"):
        await create_topics(kafka_bootstrap, {topic: 4})


async def test_two_members_of_a_group_share_the_partitions(kafka_bootstrap):
    topic, group = unique("devstack.shared"), unique("group")
    await create_topics(kafka_bootstrap, {topic: 4})
    first, second = (member(kafka_bootstrap, topic, group) for _ in range(2))
    await first.start()
    await second.start()
    try:
        await asyncio.wait_for(both_assigned(first, second), timeout=30)

        mine, theirs = first.assignment(), second.assignment()
        assert mine and theirs and not mine & theirs
        assert mine | theirs == {TopicPartition(topic, p) for p in range(4)}
    finally:
        await asyncio.gather(first.stop(), second.stop())


async def test_a_message_is_consumed_with_its_key_and_headers(kafka_bootstrap):
    topic = unique("devstack.headers")
    await create_topics(kafka_bootstrap, {topic: 4})
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    consumer = member(kafka_bootstrap, topic, unique("group"))
    await producer.start()
    await consumer.start()
    try:
        headers = [("event_id", b"e-1"), ("content-type", b"application/json")]
        await producer.send_and_wait(topic, b'{"ok": true}', key=b"request-1", headers=headers)

        record = await asyncio.wait_for(consumer.getone(), timeout=30)

        assert (record.key, record.value) == (b"request-1", b'{"ok": true}')
        assert list(record.headers) == headers
    finally:
        await asyncio.gather(producer.stop(), consumer.stop())


def member(bootstrap: str, topic: str, group: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
        enable_auto_commit=False, metadata_max_age_ms=1000,
        # Frequent heartbeats let the first member learn of the rebalance quickly.
        heartbeat_interval_ms=300, session_timeout_ms=10_000,
    )  # fmt: skip


async def both_assigned(first: AIOKafkaConsumer, second: AIOKafkaConsumer) -> None:
    # Members join one after the other; the first holds all partitions until the rebalance.
    while not (first.assignment() and second.assignment()):  # noqa: ASYNC110 - no event to await
        await asyncio.sleep(0.1)
