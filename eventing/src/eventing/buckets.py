"""Token buckets in a service's own database, so every replica spends from the same ones.

A call spends its cost from each of its buckets, or from none: the buckets are locked in one
transaction (in key order, so replicas never deadlock), refilled for the time elapsed on the
database's clock (replicas' clocks may differ), and spent only when every one of them can pay.
The gateway limits requests with them; intake limits the cost of decoding an employer's scans.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Column, DateTime, Float, MetaData, String, Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert
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


@dataclass(frozen=True)
class Bucket:
    """One bucket as read: its tokens after refilling for the time elapsed."""

    tokens: float
    limit: Limit

    @classmethod
    def refilled(cls, tokens: float, elapsed_s: float, limit: Limit) -> "Bucket":
        return cls(min(limit.burst, tokens + max(0.0, elapsed_s) * limit.rate_per_s), limit)

    def wait_s(self, cost: float) -> float:
        """Seconds until `cost` tokens are there (0 when they are there now)."""
        return max(0.0, (cost - self.tokens) / self.limit.rate_per_s)


@dataclass
class TokenBuckets:
    engine: AsyncEngine
    table: Table

    async def take(self, wanted: dict[str, Limit], *, cost: float = 1.0) -> float:
        """Spend `cost` from every bucket named in `wanted`; 0, or the seconds to wait instead."""
        if not wanted:
            return 0.0
        keys, t = sorted(wanted), self.table
        async with self.engine.begin() as conn:
            fresh = [
                {"key": k, "tokens": float(wanted[k].burst), "updated_at": func.now()} for k in keys
            ]
            await conn.execute(insert(t).values(fresh).on_conflict_do_nothing())
            rows = await conn.execute(
                select(t.c.key, t.c.tokens, func.now() - t.c.updated_at)
                .where(t.c.key.in_(keys))
                .order_by(t.c.key)
                .with_for_update()
            )
            buckets = {
                key: Bucket.refilled(tokens, elapsed.total_seconds(), wanted[key])
                for key, tokens, elapsed in rows
            }
            wait = max(b.wait_s(cost) for b in buckets.values())
            if wait > 0:
                return wait
            for key, bucket in buckets.items():
                await conn.execute(
                    t.update()
                    .where(t.c.key == key)
                    .values(tokens=bucket.tokens - cost, updated_at=func.now())
                )
        return 0.0

    async def sweep(self, *, idle: timedelta) -> int:
        """Forget buckets untouched for `idle` (longer than any refill takes): they would be full."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                delete(self.table).where(self.table.c.updated_at < func.now() - idle)
            )
            return result.rowcount
