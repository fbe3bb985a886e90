"""Inbox: insert-first deduplication on (consumer, event_id) inside the handler's transaction."""

from uuid import UUID

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event


class Inbox:
    def __init__(self, table: Table, *, consumer: str) -> None:
        self.table = table
        self.consumer = consumer
        self._insert_many = text(
            f"INSERT INTO {table.name} (consumer, event_id, topic) "  # noqa: S608 - our own table
            "SELECT :consumer, e.id, e.topic "
            "FROM unnest(CAST(:ids AS uuid[]), CAST(:topics AS text[])) AS e(id, topic) "
            "ON CONFLICT DO NOTHING RETURNING event_id"
        )

    async def first_time(self, tx: AsyncSession, event: Event) -> bool:
        """Record that this consumer handled `event`; False if it already had."""
        stmt = (
            insert(self.table)
            .values(consumer=self.consumer, event_id=event.event_id, topic=event.topic)
            .on_conflict_do_nothing()
            .returning(self.table.c.event_id)
        )
        return await tx.scalar(stmt) is not None

    async def first_times(self, tx: AsyncSession, events: list[Event]) -> set[UUID]:
        """Record many events in one statement; the ids of those this consumer had not handled.

        One SQL text for any number of events (arrays, not a VALUES list per batch size), so it
        is compiled and prepared once.
        """
        if not events:
            return set()
        ids = [e.event_id for e in events]
        topics = [e.topic for e in events]
        rows = await tx.execute(
            self._insert_many, {"consumer": self.consumer, "ids": ids, "topics": topics}
        )
        return set(rows.scalars())
