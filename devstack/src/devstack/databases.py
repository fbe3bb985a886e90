"""Per-service roles and databases on any PostgreSQL server, given its superuser URL."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def to_asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy `postgresql+asyncpg://` URL as a DSN asyncpg itself accepts."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def with_database(
    url: str, name: str, *, user: str | None = None, password: str | None = None
) -> str:
    """The same server URL pointing at another database (and optionally another login)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    if user is not None:
        credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        netloc = f"{credentials}@{netloc}"
    elif "@" in parts.netloc:
        netloc = parts.netloc
    return urlunsplit((parts.scheme, netloc, f"/{name}", parts.query, parts.fragment))


async def ensure_service_database(
    admin_url: str, *, name: str, role: str, password: str, extensions: Iterable[str] = ()
) -> str:
    """Create (or update) a login role and a database it owns, closed to other roles; its URL."""
    _check_names(name, role, *extensions)
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await _ensure_role(admin, role, password)
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            # Another process may create it between our check and our CREATE.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await admin.execute(await _sql(admin, "CREATE DATABASE %I OWNER %I", name, role))
        # Each service sees only its own database: CONNECT is granted by default to PUBLIC.
        await admin.execute(await _sql(admin, "REVOKE CONNECT ON DATABASE %I FROM PUBLIC", name))
        await admin.execute(await _sql(admin, "GRANT CONNECT ON DATABASE %I TO %I", name, role))
    finally:
        await admin.close()
    await install_extensions(with_database(admin_url, name), extensions)
    return with_database(admin_url, name, user=role, password=password)


async def create_fresh_database(
    admin_url: str, prefix: str = "test", *, extensions: Iterable[str] = ()
) -> str:
    """A new, empty database with a unique name, owned by the superuser; its URL."""
    name = f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())[:40]}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await admin.execute(await _sql(admin, "CREATE DATABASE %I", name))
    finally:
        await admin.close()
    url = with_database(admin_url, name)
    await install_extensions(url, extensions)
    return url


async def drop_database(admin_url: str, name: str) -> None:
    """Drop a database even while connections remain (tests end abruptly)."""
    _check_names(name)
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await admin.execute(await _sql(admin, "DROP DATABASE IF EXISTS %I WITH (FORCE)", name))
    finally:
        await admin.close()


@asynccontextmanager
async def cloned_database(admin_url: str, template: str, *, prefix: str) -> AsyncIterator[str]:
    """A copy of `template` (cheap: a file copy, no migration), dropped afterwards; its URL."""
    _check_names(template)
    name = f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())[:40]}_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
    try:
        await admin.execute(await _sql(admin, "CREATE DATABASE %I TEMPLATE %I", name, template))
    finally:
        await admin.close()
    try:
        yield with_database(admin_url, name)
    finally:
        await drop_database(admin_url, name)


async def install_extensions(superuser_url: str, extensions: Iterable[str]) -> None:
    """Install extensions into the URL's database (as superuser: not every one is trusted)."""
    extensions = list(extensions)
    if not extensions:
        return
    connection = await asyncpg.connect(to_asyncpg_dsn(superuser_url))
    try:
        for extension in extensions:
            await connection.execute(
                await _sql(connection, "CREATE EXTENSION IF NOT EXISTS %I", extension)
            )
    finally:
        await connection.close()


async def _ensure_role(admin: asyncpg.Connection, role: str, password: str) -> None:
    exists = await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
    # ALTER on every call keeps the returned URL true when the configured password changed.
    template = "ALTER ROLE %I LOGIN PASSWORD %L" if exists else "CREATE ROLE %I LOGIN PASSWORD %L"
    try:
        await admin.execute(await _sql(admin, template, role, password))
    except asyncpg.DuplicateObjectError:
        await admin.execute(await _sql(admin, "ALTER ROLE %I LOGIN PASSWORD %L", role, password))


async def _sql(connection: asyncpg.Connection, template: str, *values: str) -> str:
    """DDL with identifiers and literals quoted by the server itself (DDL takes no parameters)."""
    placeholders = ", ".join(f"${i}::text" for i in range(1, len(values) + 1))
    return await connection.fetchval(f"SELECT format('{template}', {placeholders})", *values)  # noqa: S608


def _check_names(*names: str) -> None:
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"not a plain lower-case SQL name: {name!r}")
