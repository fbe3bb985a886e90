"""Fixtures for matching: a throwaway PostgreSQL database with the BIS tables."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from devstack.databases import cloned_database
from eventing.db import make_engine, make_sessions
from matching.tables import define_bis_tables


@pytest.fixture
async def bis_sessions(postgres_admin_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh database holding the BIS tables, dropped after the test."""
    name = f"matching_test_{uuid4().hex[:12]}"
    admin = create_async_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    # Pool large enough for the concurrency tests: every task holds its own connection.
    url = make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=40)
    try:
        metadata = MetaData()
        define_bis_tables(metadata)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield make_sessions(engine)
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(scope="session")
def matching_template(service_template) -> str:
    """A database migrated once by `alembic upgrade head`; tests clone it."""
    return service_template("matching")


@pytest.fixture
async def database_url(postgres_admin_url: str, matching_template: str) -> AsyncIterator[str]:
    """A fresh clone of the migrated template, dropped after the test."""
    async with cloned_database(
        postgres_admin_url, matching_template, prefix="matching_test"
    ) as url:
        yield url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(database_url, pool_size=10)
    try:
        yield make_sessions(engine)
    finally:
        await engine.dispose()
