"""A fresh notifier database per test, built by the real migration (alembic upgrade head)."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from devstack.databases import cloned_database
from eventing.db import make_engine, make_sessions


@pytest.fixture(scope="session")
def migrated_template(service_template) -> str:
    """Migrated once per session; each test clones it, much faster than migrating again."""
    return service_template("notifier")


@pytest.fixture
async def engine(postgres_admin_url: str, migrated_template: str) -> AsyncIterator[AsyncEngine]:
    async with cloned_database(postgres_admin_url, migrated_template, prefix="notifier_it") as url:
        engine = make_engine(url, pool_size=5)
        yield engine
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessions(engine)
