"""Topics exist only as declared: a client never creates one by naming it (the embedded broker
would give it 4 partitions), and a declared topic found with too few partitions gets the rest."""

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError
from eventing_kit import unique_topic

from eventing.relay import make_producer
from eventing.topics import ensure_topics, partition_counts


async def broker_topics(bootstrap: str) -> set[str]:
    """Every topic the broker has (a metadata request naming none: it creates nothing)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        return await consumer.topics()
    finally:
        await consumer.stop()


async def test_a_topic_used_but_not_declared_fails_and_is_not_created(kafka_bootstrap):
    undeclared = unique_topic("undeclared")
    producer = make_producer(kafka_bootstrap, client_id="topics-test")
    await producer.start()
    try:
        with pytest.raises(KafkaError):
            await producer.send_and_wait(undeclared, b"{}", key=b"k")
    finally:
        await producer.stop()

    assert undeclared not in await broker_topics(kafka_bootstrap)


async def test_a_declared_topic_is_created_with_its_count_and_one_found_short_is_completed(
    kafka_bootstrap, caplog
):
    declared, short = unique_topic("declared"), unique_topic("short")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(short, num_partitions=1, replication_factor=1)])

        await ensure_topics(kafka_bootstrap, {declared: 3, short: 3})

        counts = await partition_counts(admin, [declared, short])
    finally:
        await admin.close()
    assert counts[declared] == 3
    # Kafka adds the missing partitions; the embedded broker cannot, and the service says so.
    said = caplog.text
    assert counts[short] == 3 or (
        counts[short] == 1 and "topics.partitions_not_added" in said and short in said
    )
