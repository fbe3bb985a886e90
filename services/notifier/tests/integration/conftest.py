"""A fresh notifier database per test, built by the real migration (alembic upgrade head)."""

from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from devstack._runtime import run_async
from devstack.databases import create_fresh_database, to_asyncpg_dsn, with_database
from devstack.system import migrate
from eventing.db import make_engine, make_sessions


@pytest.fixture(scope="session")
def migrated_template(postgres_admin_url: str) -> Iterator[str]:
    """Migrated once; each test clones it, which is much faster than migrating again."""
    url = run_async(lambda: create_fresh_database(postgres_admin_url, "notifier_migrated"))
    migrate("notifier", url)
    yield make_url(url).database
    run_async(lambda: _drop(postgres_admin_url, make_url(url).database))


@pytest.fixture
async def engine(postgres_admin_url: str, migrated_template: str) -> AsyncIterator[AsyncEngine]:
    name = f"notifier_it_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(to_asyncpg_dsn(postgres_admin_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
        engine = make_engine(with_database(postgres_admin_url, name), pool_size=5)
        yield engine
        await engine.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessions(engine)


async def _drop(admin_url: str, name: str) -> None:
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
