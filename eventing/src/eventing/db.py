"""Engine, sessions and the unit of work."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A connection back in the pool for longer than this is pinged before it is handed out again.
PING_IDLE_S = 2.0


def make_engine(url: str, *, pool_size: int = 10, ping_idle_s: float = PING_IDLE_S) -> AsyncEngine:
    """One engine per process that survives a database restart without a ping per checkout.

    `pool_pre_ping` costs a round trip at every checkout, i.e. per transaction. Instead, only a
    connection that sat idle for `ping_idle_s` is pinged (a restart happened, if at all, while
    it waited); one that fails its ping is replaced. A connection the server dropped while in
    use raises a disconnect error, which invalidates the whole pool (SQLAlchemy's own handling),
    and the caller's retry gets fresh connections.
    """
    # LIFO: the connections in use stay the same few, seldom idle long enough to need a ping
    # (FIFO rotates through the whole pool, so at a low rate every checkout was pinged).
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_use_lifo=True
    )
    ping_when_idle(engine.sync_engine, idle_s=ping_idle_s)
    return engine


def ping_when_idle(engine: Engine, *, idle_s: float) -> None:
    """Pessimistic disconnect handling, limited to connections idle for `idle_s` seconds."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out another (up to three times).
            raise sa_exc.DisconnectionError() from exc


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Commit on success, roll back on exception: the whole unit of work."""
    async with sessions.begin() as session:
        yield session
