"""Inbox: insert-first deduplication on (consumer, event_id) inside the handler's transaction."""

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event


class Inbox:
    def __init__(self, table: Table, *, consumer: str) -> None:
        self.table = table
        self.consumer = consumer

    async def first_time(self, tx: AsyncSession, event: Event) -> bool:
        """Record that this consumer handled `event`; False if it already had."""
        stmt = (
            insert(self.table)
            .values(consumer=self.consumer, event_id=event.event_id, topic=event.topic)
            .on_conflict_do_nothing()
            .returning(self.table.c.event_id)
        )
        return await tx.scalar(stmt) is not None
