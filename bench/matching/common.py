"""What the matching benchmarks share: a fresh, migrated registry database."""

import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from devstack.databases import create_fresh_database, to_asyncpg_dsn
from devstack.postgres import DISPOSABLE, EmbeddedPostgres
from devstack.system import migrate

EXTENSIONS = ("pg_trgm", "fuzzystrmatch", "unaccent")


@contextlib.asynccontextmanager
async def registry_database(admin_url: str | None, *, keep: bool = False) -> AsyncIterator[str]:
    """A fresh migrated matching database on the given server (or an embedded one)."""
    admin_url = admin_url or os.environ.get("IDPRO_POSTGRES_URL")
    with contextlib.ExitStack() as stack:
        if not admin_url:
            root = Path(tempfile.mkdtemp(prefix="idpro-bench-pg-"))
            stack.callback(shutil.rmtree, root, ignore_errors=True)
            server = stack.enter_context(
                EmbeddedPostgres(data_dir=root / "data", settings=DISPOSABLE)
            )
            admin_url = server.admin_url
        url = await create_fresh_database(admin_url, "matching_bench", extensions=EXTENSIONS)
        migrate("matching", url)
        try:
            yield url
        finally:
            if not keep:
                name = url.rsplit("/", 1)[1]
                admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()
