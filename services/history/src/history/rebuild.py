"""`idpro-history-rebuild`: the read model again, from the topics alone — it is derived data.

Every topic of the catalogue is read from the beginning (no consumer group, nothing committed) up to
the end offsets captured at start, into fresh tables in a side schema. Then the live tables are
locked against the live consumer, the few events published meanwhile are read too, and the new
tables replace the old ones in the same transaction. The projection is the live one (`on_event`):
it is order-tolerant, so reading topic after topic gives the same model as the live interleaving.
"""

import asyncio
import time
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import BY_TOPIC, CATALOGUE
from eventing.db import make_engine, make_sessions, transaction
from eventing.logs import get_logger
from history.handlers import on_event
from history.tables import READ_MODEL, Base

log = get_logger("history.rebuild")
SIDE_SCHEMA = "history_rebuild"


class RebuildSettings(BaseSettings):
    """Only what a rebuild needs: no token key, no HTTP."""

    model_config = SettingsConfigDict(env_prefix="HISTORY_", extra="ignore")
    database_url: SecretStr
    kafka_bootstrap_servers: str = "127.0.0.1:9092"


@dataclass(frozen=True)
class RebuildReport:
    events: int
    skipped: int
    partitions: int
    seconds: float


async def rebuild(database_url: str, bootstrap: str, *, schema: str = SIDE_SCHEMA) -> RebuildReport:
    """Project every topic into `schema`, then swap its tables in for the live ones."""
    started = time.monotonic()
    engine = make_engine(database_url, pool_size=2)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        client_id="history-rebuild",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        partitions = await _assign_all(consumer)
        await _create_side_tables(engine, schema)
        side = make_sessions(engine.execution_options(schema_translate_map={None: schema}))
        counts = await _project_until(consumer, side, await consumer.end_offsets(partitions))
        async with engine.begin() as conn:
            # Same order as the handler takes them, so a live handler waits instead of deadlocking.
            await conn.execute(
                text("LOCK TABLE request_summaries, timeline_entries IN EXCLUSIVE MODE")
            )
            late = await _project_until(consumer, side, await consumer.end_offsets(partitions))
            await _swap(conn, schema)
    finally:
        await consumer.stop()
        await engine.dispose()
    report = RebuildReport(
        counts[0] + late[0],
        counts[1] + late[1],
        len(partitions),
        round(time.monotonic() - started, 2),
    )
    log.info("history.rebuilt", **report.__dict__)
    return report


async def _assign_all(consumer: AIOKafkaConsumer) -> list[TopicPartition]:
    """Every partition of every catalogue topic, from its beginning."""
    await consumer.topics()  # loads the cluster metadata
    partitions = [
        TopicPartition(event.topic, p)
        for event in CATALOGUE
        for p in sorted(consumer.partitions_for_topic(event.topic) or ())
    ]
    consumer.assign(partitions)
    if partitions:
        await consumer.seek_to_beginning(*partitions)
    return partitions


async def _create_side_tables(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        side = await conn.execution_options(schema_translate_map={None: schema})
        await side.run_sync(lambda sync: Base.metadata.create_all(sync, tables=READ_MODEL))


async def _project_until(
    consumer: AIOKafkaConsumer,
    sessions: async_sessionmaker[AsyncSession],
    end: dict[TopicPartition, int],
    *,
    idle_limit: int = 30,
) -> tuple[int, int]:
    """Apply every record before `end` (one transaction per fetched batch); (applied, skipped)."""
    applied = skipped = idle = 0
    remaining = {tp for tp, offset in end.items() if await consumer.position(tp) < offset}
    while remaining:
        batches = await consumer.getmany(*remaining, timeout_ms=500, max_records=1000)
        idle = 0 if batches else idle + 1
        if idle > idle_limit:
            raise TimeoutError("the topics stopped short of the end offsets captured at start")
        async with transaction(sessions) as tx:
            for tp, records in batches.items():
                for record in (r for r in records if r.offset < end[tp]):
                    ok = await _apply(tx, record.topic, record.value)
                    applied, skipped = applied + ok, skipped + (not ok)
        remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
    for tp, offset in end.items():
        consumer.seek(tp, offset)  # records fetched past the end belong to the next pass
    return applied, skipped


async def _apply(tx: AsyncSession, topic: str, value: bytes) -> bool:
    """Project one record; False for one the live consumer dead-lettered too (it cannot parse)."""
    try:
        event = BY_TOPIC[topic].model_validate_json(value)
    except (ValidationError, ValueError):
        log.warning("history.rebuild_skipped", topic=topic)
        return False
    await on_event(event, tx)
    return True


async def _swap(conn, schema: str) -> None:
    """Drop the live tables and move the rebuilt ones (with their indexes) into their place."""
    live = await conn.scalar(text("SELECT current_schema()"))
    await conn.execute(text("DROP TABLE timeline_entries, request_summaries"))
    for table in ("request_summaries", "timeline_entries"):
        await conn.execute(text(f'ALTER TABLE "{schema}".{table} SET SCHEMA "{live}"'))
    await conn.execute(text(f'DROP SCHEMA "{schema}"'))


def main() -> None:
    settings = RebuildSettings()
    report = asyncio.run(
        rebuild(settings.database_url.get_secret_value(), settings.kafka_bootstrap_servers)
    )
    print(
        f"history rebuilt: {report.events} events from {report.partitions} partitions "
        f"({report.skipped} skipped) in {report.seconds} s"
    )


if __name__ == "__main__":
    main()
