"""Token buckets in the gateway's database, so every replica spends from the same ones.

A call takes one token from each of its buckets (the user's and the employer's on the API; the
address's at sign-in; the user's or the address's on portal pages) or from none: the buckets
are locked in one transaction, refilled by the time elapsed on the database's clock (replicas'
clocks may differ), and spent only if every one of them has a token.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.problems import Problem
from gateway.tables import RateBucket


@dataclass(frozen=True)
class Limit:
    per_minute: int
    burst: int

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

    def wait_s(self) -> float:
        """Seconds until one token is there (0 when there is one now)."""
        return max(0.0, (1 - self.tokens) / self.limit.rate_per_s)


def verdict(buckets: dict[str, Bucket]) -> float:
    """Seconds to wait before the call may go (0: it may go now), over all its buckets."""
    return max((b.wait_s() for b in buckets.values()), default=0.0)


def too_many(wait_s: float) -> Problem:
    return Problem(
        429,
        "rate_limited",
        "Too many requests; slow down.",
        headers={"Retry-After": str(max(1, math.ceil(wait_s)))},
    )


@dataclass
class RateLimiter:
    engine: AsyncEngine
    limits: dict[str, Limit]

    async def take(self, **keys: str | None) -> None:
        """Spend one token of each named bucket (`user="u1", employer="0123…"`), or raise 429."""
        wanted = {f"{kind}:{key}": self.limits[kind] for kind, key in keys.items() if key}
        if not wanted:
            return
        async with self.engine.begin() as conn:
            fresh = [{"key": k, "tokens": float(v.burst)} for k, v in sorted(wanted.items())]
            await conn.execute(
                insert(RateBucket)
                .values([{**row, "updated_at": func.now()} for row in fresh])
                .on_conflict_do_nothing()
            )
            rows = await conn.execute(
                select(RateBucket.key, RateBucket.tokens, func.now() - RateBucket.updated_at)
                .where(RateBucket.key.in_(sorted(wanted)))
                .order_by(RateBucket.key)  # one lock order for every replica: no deadlock
                .with_for_update()
            )
            buckets = {
                key: Bucket.refilled(tokens, elapsed.total_seconds(), wanted[key])
                for key, tokens, elapsed in rows
            }
            wait = verdict(buckets)
            if wait > 0:
                raise too_many(wait)
            for key, bucket in buckets.items():
                await conn.execute(
                    RateBucket.__table__.update()
                    .where(RateBucket.key == key)
                    .values(tokens=bucket.tokens - 1, updated_at=func.now())
                )

    async def sweep(self, *, idle: timedelta = timedelta(hours=1)) -> int:
        """Forget buckets untouched for `idle` (longer than any refill): they would be full."""
        cutoff = func.now() - idle
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(RateBucket).where(RateBucket.updated_at < cutoff))
            return result.rowcount
