"""Topics are created explicitly, with their partition counts; every consumed topic has a DLQ."""

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contracts import CATALOGUE
from eventing.logs import get_logger

log = get_logger("eventing.topics")


def catalogue_topics(partitions: int, *, dlq_partitions: int = 1) -> dict[str, int]:
    """Every event topic and its `<topic>.dlq`."""
    topics = {event.topic: partitions for event in CATALOGUE}
    topics |= {f"{event.topic}.dlq": dlq_partitions for event in CATALOGUE}
    return topics


async def ensure_topics(bootstrap: str, topics: dict[str, int]) -> None:
    """Create missing topics; existing ones are left as they are."""
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
    finally:
        await admin.close()
