"""Request limits: token buckets in the gateway's database (eventing.buckets), so every replica
spends from the same ones. A call takes one token from each of its buckets or from none."""

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.buckets import Limit, TokenBuckets
from eventing.problems import Problem
from gateway.tables import rate_buckets

__all__ = ["Limit", "RateLimiter", "too_many"]


def too_many(wait_s: float) -> Problem:
    return Problem(
        429,
        "rate_limited",
        "Too many requests; slow down.",
        headers={"Retry-After": str(max(1, math.ceil(wait_s)))},
    )


@dataclass
class RateLimiter:
    """`limits` by kind of bucket: user, employer (the API), signin (per address), page."""

    engine: AsyncEngine
    limits: dict[str, Limit]

    def __post_init__(self) -> None:
        self.buckets = TokenBuckets(self.engine, rate_buckets)

    async def take(self, **keys: str | None) -> None:
        """Spend a token of each named bucket (`user="u1", employer="0123…"`), or raise 429."""
        wanted = {f"{kind}:{key}": self.limits[kind] for kind, key in keys.items() if key}
        wait = await self.buckets.take(wanted)
        if wait > 0:
            raise too_many(wait)

    async def sweep(self) -> int:
        """Forget buckets idle for an hour: longer than any of them takes to fill up again."""
        return await self.buckets.sweep(idle=timedelta(hours=1))
