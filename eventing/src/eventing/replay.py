"""Publish events again from a service's own outbox: since a time (an operator, a broker that lost
its log) or chosen rows (a reconciler). The relay does the publishing; consumers' inboxes make a
second copy harmless."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection


async def replay_since(conn: AsyncConnection, table: Table, channel: str, since: datetime) -> int:
    """Mark every published event created at or after `since` unpublished again; wake the relay.
    Rows purged by the retention (older than its window) cannot come back."""
    result = await conn.execute(
        update(table)
        .where(table.c.created_at >= since, table.c.published_at.is_not(None))
        .values(published_at=None, attempts=table.c.attempts + 1)
    )
    await conn.execute(select(func.pg_notify(channel, "")))
    return result.rowcount


async def replay_rows(conn: AsyncConnection, table: Table, channel: str, ids: Sequence[int]) -> int:
    """The same for chosen outbox rows (by id)."""
    if not ids:
        return 0
    result = await conn.execute(
        update(table)
        .where(table.c.id.in_(list(ids)), table.c.published_at.is_not(None))
        .values(published_at=None, attempts=table.c.attempts + 1)
    )
    await conn.execute(select(func.pg_notify(channel, "")))
    return result.rowcount
