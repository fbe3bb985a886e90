"""Service databases on the session's PostgreSQL, and the embedded server's own life cycle."""

import uuid

import asyncpg
import pytest

from devstack.databases import (
    create_fresh_database,
    ensure_service_database,
    to_asyncpg_dsn,
    with_database,
)
from devstack.postgres import DISPOSABLE, EmbeddedPostgres

EXTENSIONS = ("pg_trgm", "fuzzystrmatch", "unaccent")


def service_name() -> str:
    return f"svc_{uuid.uuid4().hex[:10]}"


async def connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(to_asyncpg_dsn(url))


async def ensure(admin_url: str, name: str) -> str:
    return await ensure_service_database(
        admin_url, name=name, role=name, password=f"{name}-pw", extensions=EXTENSIONS
    )


async def test_ensuring_a_service_database_twice_gives_the_same_working_url(postgres_admin_url):
    name = service_name()

    first = await ensure(postgres_admin_url, name)
    second = await ensure(postgres_admin_url, name)

    assert first == second
    assert first.startswith(f"postgresql+asyncpg://{name}:{name}-pw@")
    connection = await connect(second)
    assert await connection.fetchval("SELECT current_user || '@' || current_database()") == (
        f"{name}@{name}"
    )
    await connection.close()


async def test_a_service_role_can_create_tables_in_its_own_database(postgres_admin_url):
    connection = await connect(await ensure(postgres_admin_url, service_name()))
    try:
        await connection.execute("CREATE TABLE requests (id uuid PRIMARY KEY, name text)")
        await connection.execute("INSERT INTO requests VALUES (gen_random_uuid(), 'Anna')")
        assert await connection.fetchval("SELECT count(*) FROM requests") == 1
    finally:
        await connection.close()


async def test_a_service_role_cannot_connect_to_another_services_database(postgres_admin_url):
    intake, matching = service_name(), service_name()
    intake_url = await ensure(postgres_admin_url, intake)
    await ensure(postgres_admin_url, matching)

    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await connect(with_database(intake_url, matching, user=intake, password=f"{intake}-pw"))


async def test_a_service_database_has_the_search_extensions(postgres_admin_url):
    connection = await connect(await ensure(postgres_admin_url, service_name()))
    try:
        rows = await connection.fetch("SELECT extname FROM pg_extension")
        installed = {r["extname"] for r in rows}
        row = await connection.fetchrow(
            "SELECT unaccent('Müller') AS plain, levenshtein('Anna', 'Ana') AS distance,"
            " similarity('Kowalska', 'Kowalsky') > 0.3 AS similar"
        )
    finally:
        await connection.close()
    assert set(EXTENSIONS) <= installed
    assert dict(row) == {"plain": "Muller", "distance": 1, "similar": True}


async def test_fresh_databases_are_distinct_and_empty(postgres_admin_url):
    first = await create_fresh_database(postgres_admin_url, "devstack")
    second = await create_fresh_database(postgres_admin_url, "devstack")

    assert first != second
    connection = await connect(first)
    tables = await connection.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    await connection.close()
    assert tables == 0


async def test_the_embedded_server_keeps_its_data_across_a_restart_on_another_port(tmp_path):
    data_dir = tmp_path / "pgdata"
    with EmbeddedPostgres(data_dir=data_dir, settings=DISPOSABLE) as server:
        connection = await connect(server.admin_url)
        await connection.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)")
        await connection.close()

    with EmbeddedPostgres(data_dir=data_dir, settings=DISPOSABLE) as restarted:
        connection = await connect(restarted.admin_url)
        assert await connection.fetchval("SELECT id FROM kept") == 7
        await connection.close()
    assert not restarted.running


async def test_the_fresh_database_fixture_is_named_after_the_test(fresh_database_url):
    connection = await connect(fresh_database_url)
    name = await connection.fetchval("SELECT current_database()")
    await connection.close()

    assert name.startswith("test_the_fresh_database_fixtur")
