"""Every topic of idpro's namespaces on the system's broker is one the stack declared, with the
partition count it declared: nothing was auto-created (the embedded broker would give 4)."""

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from devstack.system import DB_SERVICES
from eventing.broker_watch import marker_topic
from eventing.topics import catalogue_topics, partition_counts


async def test_every_topic_in_idpros_namespaces_was_declared_with_its_count(system):
    bootstrap = system.infra.kafka_bootstrap
    declared = catalogue_topics(system.partitions) | {marker_topic(s): 1 for s in DB_SERVICES}
    namespaces = tuple(f"{service}." for service in DB_SERVICES) + ("_idpro.",)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        ours = sorted(t for t in await consumer.topics() if t.startswith(namespaces))
    finally:
        await consumer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        counts = await partition_counts(admin, ours)
    finally:
        await admin.close()

    assert set(declared) <= set(ours)  # the stack created all it declared
    # Every service instance (the tests' own ones too, named `<service>-test-…`) declares its
    # own marker with one partition; an auto-created one would have the broker's 4.
    marker = marker_topic("")
    declared |= {t: 1 for t in ours if t.startswith(marker)}
    assert {t: counts[t] for t in ours} == {t: declared.get(t) for t in ours}
