"""The pool survives a server that dropped its connections, without a ping per checkout."""

import asyncpg
import pytest
from eventing_kit import eventually
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from devstack.databases import to_asyncpg_dsn
from eventing.db import make_engine


async def _backend_pid(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT pg_backend_pid()"))


async def _terminate(admin_url: str, pid: int) -> None:
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await admin.fetchval("SELECT pg_terminate_backend($1)", pid)

        async def gone() -> bool:
            return not await admin.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE pid=$1", pid
            )

        await eventually(gone)
    finally:
        await admin.close()


async def test_an_idle_connection_the_server_dropped_is_replaced_before_use(db, postgres_admin_url):
    # Idle for longer than ping_idle_s (0: any time at all): pinged, found dead, replaced.
    engine = make_engine(db.url, pool_size=1, ping_idle_s=0.0)
    try:
        first = await _backend_pid(engine)
        await _terminate(postgres_admin_url, first)
        assert await _backend_pid(engine) != first  # no error reached the caller
    finally:
        await engine.dispose()


async def test_a_connection_in_steady_use_is_not_pinged_and_one_failure_renews_the_pool(
    db, postgres_admin_url
):
    # Never idle long enough to be pinged: the dead connection is found by the statement itself,
    # which fails as a disconnect (transient for the consumer's retry); the pool is renewed.
    engine = make_engine(db.url, pool_size=2, ping_idle_s=3600.0)
    try:
        first = await _backend_pid(engine)
        await _terminate(postgres_admin_url, first)
        with pytest.raises(sa_exc.DBAPIError) as failed:
            await _backend_pid(engine)
        assert failed.value.connection_invalidated
        assert await _backend_pid(engine) != first
    finally:
        await engine.dispose()
