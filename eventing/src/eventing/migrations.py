"""Alembic's env.py for every service: async engine, the service's own metadata and database."""

import asyncio
import os

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def database_url(env_var: str) -> str:
    """`-x url=...` wins, then the service's own DATABASE_URL variable."""
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(env_var)
    if not url:
        raise SystemExit(f"set {env_var} (or pass -x url=...) to run migrations")
    return url


def run_migrations(metadata: MetaData, *, env_var: str) -> None:
    """Run offline (SQL script) or online (against the database) as Alembic asks."""
    url = database_url(env_var)
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(_do_run, metadata)
    await engine.dispose()


def _do_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
