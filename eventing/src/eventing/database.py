"""A service's own PostgreSQL: engine, sessions, and the outbox and inbox kept in it."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventing import tracing
from eventing.config import ServiceSettings
from eventing.db import make_engine, make_sessions
from eventing.inbox import Inbox
from eventing.metrics import Probe, database_probe, plumbing_probe
from eventing.outbox import Outbox
from eventing.purge import PlumbingPurge
from eventing.tables import define_plumbing_tables


class Database:
    """Built once in a service's composition root; every other part takes what it needs of it."""

    def __init__(self, settings: ServiceSettings, *, metadata: MetaData) -> None:
        self.settings = settings
        self.service = settings.service_name
        # First: the engine is instrumented only when tracing is on (idempotent, first names it).
        tracing.configure(self.service)
        self.outbox_table, self.inbox_table = plumbing_tables(metadata)
        self.engine = make_engine(
            settings.database_url.get_secret_value(), pool_size=settings.db_pool_size
        )
        tracing.instrument_engine(self.engine)
        self.sessions = make_sessions(self.engine)
        self.outbox = Outbox(self.outbox_table, service=self.service)
        self.inbox = Inbox(self.inbox_table, consumer=self.service)

    def purge(self) -> PlumbingPurge:
        """The loop that drops published outbox rows and old inbox rows."""
        s = self.settings
        return PlumbingPurge(
            self.engine,
            self.outbox_table,
            self.inbox_table,
            outbox_retention=timedelta(days=s.outbox_retention_days),
            inbox_retention=timedelta(days=s.inbox_retention_days),
            interval_s=s.plumbing_purge_interval_s,
        )

    def probe(self, collect: Callable[[AsyncConnection], Awaitable[None]]) -> Probe:
        """Gauges set from this database when /metrics is scraped."""
        return database_probe(self.engine, collect)

    def plumbing_probe(self) -> Probe:
        return plumbing_probe(self.engine, self.outbox_table, self.inbox_table)

    async def reachable(self) -> bool:
        async def select_one() -> bool:
            async with self.engine.connect() as conn:
                return await conn.scalar(text("SELECT 1")) == 1

        try:
            return await asyncio.wait_for(select_one(), timeout=3.0)
        except Exception:  # noqa: BLE001 - /ready says no, whatever the reason
            return False

    async def close(self) -> None:
        await self.engine.dispose()


def plumbing_tables(metadata: MetaData):
    """The outbox and inbox of this metadata, defined once however often a service is built."""
    if "outbox_messages" in metadata.tables:
        return metadata.tables["outbox_messages"], metadata.tables["processed_events"]
    return define_plumbing_tables(metadata)
