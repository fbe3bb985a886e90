"""Topics are created explicitly, with their partition counts; every consumed topic has a DLQ.

No client of a service ever creates a topic by naming it: Kafka's metadata request creates a
missing topic it names unless told not to, and the embedded broker (Tansu) then gives it 4
partitions whatever was declared (a relay or a consumer reaching a restarted broker before the
topics are back did exactly that). `never_auto_create` makes every aiokafka client of the
process ask without creating: a topic used but not declared fails loudly (UnknownTopicOrPartition)
instead of appearing with the wrong count.
"""

import contextlib

import aiokafka.client
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.protocol.metadata import MetadataRequest

from contracts import CATALOGUE
from eventing.logs import get_logger

log = get_logger("eventing.topics")


def catalogue_topics(partitions: int, *, dlq_partitions: int = 1) -> dict[str, int]:
    """Every event topic and its `<topic>.dlq`."""
    topics = {event.topic: partitions for event in CATALOGUE}
    topics |= {f"{event.topic}.dlq": dlq_partitions for event in CATALOGUE}
    return topics


class _NamingOnly(MetadataRequest):
    """A metadata request that never creates the topics it names."""

    def __init__(self, topics=None, allow_auto_topic_creation: bool = False) -> None:
        super().__init__(topics, allow_auto_topic_creation)


def never_auto_create() -> None:
    """Every aiokafka producer, consumer and client of this process stops auto-creating topics."""
    aiokafka.client.MetadataRequest = _NamingOnly


async def ensure_topics(bootstrap: str, topics: dict[str, int]) -> None:
    """Create missing topics; one with fewer partitions than declared is given the rest where the
    broker can add partitions (Tansu cannot: logged as an error), one with more is left so
    (partitions are never taken away) and logged."""
    never_auto_create()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name=name, num_partitions=count, replication_factor=1)
            for name, count in topics.items()
            if name not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another replica was first
                await admin.create_topics(missing)
            log.info("topics.created", count=len(missing))
        await _declared_counts(admin, {n: c for n, c in topics.items() if n in existing})
    finally:
        await admin.close()


async def partition_counts(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, int]:
    """Each existing topic's partition count (describing a missing one would create it)."""
    if not names:
        return {}
    described = await admin.describe_topics(names)
    return {t["topic"]: len(t["partitions"]) for t in described if not t["error_code"]}


async def _declared_counts(admin: AIOKafkaAdminClient, topics: dict[str, int]) -> None:
    counts = await partition_counts(admin, list(topics))
    short = {n: NewPartitions(total_count=c) for n, c in topics.items() if counts.get(n, c) < c}
    more = sorted(n for n, c in topics.items() if counts.get(n, c) > c)
    if more:
        log.warning("topics.more_partitions_than_declared", topics=more)
    if short:
        try:
            await admin.create_partitions(short)
        except KafkaError as exc:  # the service still starts: its keys stay on fewer partitions
            log.error("topics.partitions_not_added", topics=sorted(short),
                      error_class=type(exc).__name__)  # fmt: skip
        else:
            log.warning("topics.partitions_added", topics=sorted(short))
