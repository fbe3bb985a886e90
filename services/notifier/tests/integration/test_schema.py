"""The migration builds exactly the schema tables.py describes."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from notifier.tables import Base


async def test_the_migrated_database_has_no_drift_from_the_mapped_tables(engine):
    def drift(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(drift) == []
