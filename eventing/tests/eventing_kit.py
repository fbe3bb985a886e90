"""Helpers for the plumbing tests; conftest puts this folder on the import path."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID, uuid4

import asyncpg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import Event
from devstack import waiting
from devstack.databases import create_fresh_database, to_asyncpg_dsn
from eventing.db import make_engine, make_sessions, transaction
from eventing.outbox import Outbox
from eventing.relay import Relay
from eventing.tables import define_plumbing_tables
from eventing.topics import ensure_topics


@dataclass
class PlumbingDb:
    """One database holding outbox_messages, processed_events and a test `effects` table."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    outbox: Table
    inbox: Table
    effects: Table

    async def scalar(self, sql: str, **params):
        async with self.engine.connect() as conn:
            return await conn.scalar(text(sql), params)

    async def rows(self, sql: str, **params):
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).all()


async def open_plumbing_db(admin_url: str, prefix: str) -> PlumbingDb:
    url = await create_fresh_database(admin_url, prefix)
    metadata = MetaData()
    outbox, inbox = define_plumbing_tables(metadata)
    # What a handler did, in its own transaction: it exists only if the handler's work committed.
    effects = Table(
        "effects", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", Uuid, nullable=False),
        Column("handler", String(50), nullable=False),
    )  # fmt: skip
    engine = make_engine(url, pool_size=10)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return PlumbingDb(url, engine, make_sessions(engine), outbox, inbox, effects)


async def close_plumbing_db(db: PlumbingDb, admin_url: str) -> None:
    await asyncio.wait_for(db.engine.dispose(), timeout=10)
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        name = db.engine.url.database
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def unique_topic(name: str) -> str:
    return f"eventing-test.{name}.{uuid.uuid4().hex[:8]}"


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 10.0, every: float = 0.05
) -> None:
    """Wait until `check()` is true; fail after `within` seconds."""
    await waiting.eventually(check, within=within, every=every)


class TopicReader:
    """Reads a topic from the beginning without a consumer group (no join, no commit)."""

    def __init__(self, bootstrap: str, topic: str, *, partitions: int = 1) -> None:
        self.topic = topic
        self.partitions = [TopicPartition(topic, p) for p in range(partitions)]
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
            fetch_max_wait_ms=50,
        )  # fmt: skip
        self.records: list[ConsumerRecord] = []

    async def __aenter__(self) -> "TopicReader":
        await self.consumer.start()
        self.consumer.assign(self.partitions)
        await self.consumer.seek_to_beginning(*self.partitions)
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.consumer.stop()

    async def poll(self, wait_s: float = 0.1) -> list[ConsumerRecord]:
        batches = await self.consumer.getmany(*self.partitions, timeout_ms=int(wait_s * 1000))
        for batch in batches.values():
            self.records.extend(batch)
        return self.records

    async def read(self, count: int, *, within: float = 10.0) -> list[ConsumerRecord]:
        """At least `count` records (all read so far), or fail after `within` seconds."""
        deadline = time.monotonic() + within
        while len(self.records) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.records)} of {count} records on {self.topic}")
            await self.poll()
        return self.records


async def committed_offset(
    bootstrap: str, group: str, topic: str, partition: int = 0
) -> int | None:
    """The offset `group` committed on one partition, or None (asked without joining the group)."""
    # Tansu answers the admin client's OffsetFetch in a version aiokafka cannot decode; a
    # consumer that never subscribes asks with its own version and does not join the group.
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        return await consumer.committed(TopicPartition(topic, partition))
    finally:
        await consumer.stop()


def event_type(name: str, topic: str) -> type[Event]:
    """A small test event on its own topic, with a sequence number to check order."""
    namespace = {
        "__annotations__": {"topic": ClassVar[str], "seq": int, "note": str},
        "topic": topic,
        "seq": 0,
        "note": "",
        "__module__": __name__,
    }
    return type(name, (Event,), namespace)


def make(kind: type[Event], *, request_id: UUID | None = None, **fields: Any) -> Event:
    return kind(
        producer="eventing-tests",
        request_id=request_id or uuid4(),
        employer_id="0123456789",
        **fields,
    )


# The outbox and its relay, as the relay tests stage, start and watch them.

SERVICE = "relaytest"


def new_relay(db: PlumbingDb, producer, **options) -> Relay:
    """A relay over the test's outbox, not started yet."""
    return Relay(
        engine=db.engine,
        table=db.outbox,
        producer=producer,
        channel=Outbox(db.outbox, service=SERVICE).channel,
        **options,
    )


async def start_relay(relays: list[Relay], db: PlumbingDb, producer, **options) -> Relay:
    relay = new_relay(db, producer, **options)
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


async def all_marked(db: PlumbingDb) -> bool:
    return await db.scalar("SELECT bool_and(published_at IS NOT NULL) FROM outbox_messages")
