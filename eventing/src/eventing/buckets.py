"""Token buckets in a service's own database, so every replica spends from the same ones.

A call spends its cost from each of its buckets, or from none: the buckets are locked in one
transaction (in key order, so replicas never deadlock), refilled for the time elapsed on the
database's clock (replicas' clocks may differ), and spent only when every one of them can pay.
The gateway limits requests with them; intake limits the cost of decoding an employer's scans.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Column, DateTime, Float, MetaData, String, Table, delete, func, text
from sqlalchemy.ext.asyncio import AsyncEngine


def define_bucket_table(metadata: MetaData, name: str) -> Table:
    """The table of one kind of bucket: key, tokens left, when they were last counted."""
    return Table(
        name,
        metadata,
        Column("key", String(300), primary_key=True),
        Column("tokens", Float, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    )


@dataclass(frozen=True)
class Limit:
    """A bucket holds up to `burst` tokens and gets `per_minute` back every minute."""

    per_minute: float
    burst: float

    @property
    def rate_per_s(self) -> float:
        return self.per_minute / 60


# One statement, its own transaction: lock the named buckets that exist (in key order, so
# replicas never deadlock), refill each for the time elapsed on the database's clock (a bucket not
# stored yet is full), and spend from every one only when every one can pay; the seconds to wait
# otherwise. A bucket created by two calls at once may lose one of their spends (both found it
# missing, full); every later call is counted exactly.
_TAKE = """
WITH wanted AS (
    SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:rates AS float8[]),
                         CAST(:bursts AS float8[])) AS w(key, rate, burst)
), locked AS (
    SELECT b.key, b.tokens, extract(epoch FROM now() - b.updated_at) AS elapsed
    FROM {table} b JOIN wanted w ON w.key = b.key
    ORDER BY b.key FOR UPDATE OF b
), refilled AS (
    SELECT w.key, w.rate,
           least(w.burst, coalesce(l.tokens + greatest(0, l.elapsed) * w.rate, w.burst)) AS tokens
    FROM wanted w LEFT JOIN locked l ON l.key = w.key
), verdict AS (
    SELECT coalesce(max(greatest(0, (:cost - tokens) / rate)), 0) AS wait FROM refilled
), spent AS (
    INSERT INTO {table} (key, tokens, updated_at)
    SELECT r.key, r.tokens - :cost, now() FROM refilled r, verdict v WHERE v.wait = 0
    ORDER BY r.key
    ON CONFLICT (key) DO UPDATE SET tokens = EXCLUDED.tokens, updated_at = EXCLUDED.updated_at
)
SELECT wait FROM verdict
"""


@dataclass
class TokenBuckets:
    engine: AsyncEngine
    table: Table

    def __post_init__(self) -> None:
        self._take = text(_TAKE.format(table=self.table.name))

    async def take(self, wanted: dict[str, Limit], *, cost: float = 1.0) -> float:
        """Spend `cost` from every bucket named in `wanted`; 0, or the seconds to wait instead.

        One round trip (autocommit): before, a call was six (BEGIN, insert, SELECT … FOR UPDATE,
        an UPDATE per bucket, COMMIT)."""
        if not wanted:
            return 0.0
        keys = sorted(wanted)
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            wait = await conn.scalar(
                self._take,
                {
                    "keys": keys,
                    "rates": [wanted[k].rate_per_s for k in keys],
                    "bursts": [float(wanted[k].burst) for k in keys],
                    "cost": float(cost),
                },
            )
        return float(wait)

    async def sweep(self, *, idle: timedelta) -> int:
        """Forget buckets untouched for `idle` (longer than any refill takes): they would be full."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                delete(self.table).where(self.table.c.updated_at < func.now() - idle)
            )
            return result.rowcount
