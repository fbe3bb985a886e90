"""Bulk filing into the registry with COPY: indexes dropped during the load and rebuilt after,
surname frequencies, identity sequences and BIS counters brought up to date at the end."""

import os
from collections import Counter
from collections.abc import AsyncIterator, Iterable

import asyncpg
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

from matching.domain import PersonToFile
from matching.repository.registry import (
    address_rows,
    document_rows,
    name_rows,
    person_row,
    term_counts,
)
from matching.tables import Base

TABLES = ("persons", "person_names", "person_documents", "person_addresses")
PERSON_COLUMNS = (
    "id",
    "ssin",
    "number_type",
    "surnames",
    "given_names",
    "sex",
    "birth_date",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_place",
    "birth_country",
    "nationality",
    "origin",
    "request_id",
)
NAME_COLUMNS = (
    "person_id",
    "kind",
    "surnames",
    "given_names",
    "full_name",
    "name_year_keys",
    "phonetic_keys",
    "birth_year",
    "pair_keys",
    "date_keys",
)
DOCUMENT_COLUMNS = ("person_id", "type", "number", "country", "expiry_date")
ADDRESS_COLUMNS = (
    "person_id",
    "kind",
    "street",
    "number",
    "box",
    "postal_code",
    "city",
    "country",
    "match_keys",
)


def database_dsn(url: str | None = None) -> str:
    """An asyncpg DSN from --database-url or MATCHING_DATABASE_URL."""
    url = url or os.environ.get("MATCHING_DATABASE_URL")
    if not url:
        raise SystemExit("set MATCHING_DATABASE_URL or pass --database-url")
    return url.replace("postgresql+asyncpg://", "postgresql://")


class BulkLoader:
    """COPY persons in chunks; call finish() once every chunk is in."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.conn = connection
        self.terms: Counter = Counter()
        self.next_id = 1
        self.loaded = 0

    async def start(self) -> None:
        self.next_id = 1 + (await self.conn.fetchval("SELECT coalesce(max(id), 0) FROM persons"))
        for index in _search_indexes():
            await self.conn.execute(f'DROP INDEX IF EXISTS "{index.name}"')

    async def load(self, persons: Iterable[PersonToFile]) -> None:
        people, names, documents, addresses = [], [], [], []
        for person in persons:
            pid, self.next_id = self.next_id, self.next_id + 1
            row = person_row(person, person_id=pid)
            people.append(tuple(row[c] for c in PERSON_COLUMNS))
            names += [tuple(r[c] for c in NAME_COLUMNS) for r in name_rows(person, pid)]
            documents += [tuple(r[c] for c in DOCUMENT_COLUMNS) for r in document_rows(person, pid)]
            addresses += [
                tuple(r.get(c) for c in ADDRESS_COLUMNS) for r in address_rows(person, pid)
            ]
            p = person.identity
            self.terms.update(term_counts([(p.surnames, p.given_names, p.birth_place)]))
        for table, columns, records in (
            ("persons", PERSON_COLUMNS, people),
            ("person_names", NAME_COLUMNS, names),
            ("person_documents", DOCUMENT_COLUMNS, documents),
            ("person_addresses", ADDRESS_COLUMNS, addresses),
        ):
            if records:
                await self.conn.copy_records_to_table(table, records=records, columns=columns)
        self.loaded += len(people)

    async def finish(self) -> None:
        """Rebuild indexes, count surnames, move sequences and BIS counters past the load."""
        await self.conn.execute("SET maintenance_work_mem = '512MB'")
        for index in _search_indexes():
            ddl = str(CreateIndex(index, if_not_exists=True).compile(dialect=postgresql.dialect()))
            await self.conn.execute(ddl)
        await self.conn.executemany(
            "INSERT INTO term_frequencies (field, token, persons) VALUES ($1, $2, $3) "
            "ON CONFLICT (field, token) DO UPDATE SET persons = term_frequencies.persons + $3",
            [(f, t, n) for (f, t), n in sorted(self.terms.items())],
        )
        for table in TABLES:
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        await self.conn.execute(_BIS_COUNTERS)
        for table in TABLES:
            await self.conn.execute(f"ANALYZE {table}")


def _search_indexes():
    """The secondary indexes of the registry tables (primary keys and unique ones stay)."""
    for name in TABLES:
        yield from (i for i in Base.metadata.tables[name].indexes if not i.unique)


# BIS numbers filed from outside (a load) must never be handed out again by the counters.
_BIS_COUNTERS = """
INSERT INTO bis_counters (slot, century, sex_class, last_serial)
SELECT left(ssin, 6), (birth_year / 100) * 100,
       CASE WHEN substr(ssin, 3, 2)::int >= 40 THEN
            CASE WHEN substr(ssin, 7, 3)::int % 2 = 1 THEN 'male' ELSE 'female' END
            ELSE 'unknown' END,
       max(substr(ssin, 7, 3)::int)
FROM persons WHERE number_type = 'bis' AND birth_year IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT (slot, century, sex_class)
DO UPDATE SET last_serial = greatest(bis_counters.last_serial, excluded.last_serial)
"""


async def connect(url: str | None = None) -> asyncpg.Connection:
    return await asyncpg.connect(database_dsn(url))


async def in_chunks(items: Iterable, size: int) -> AsyncIterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
