"""Token buckets per user and per employer, in memory.

One replica only: with several replicas each keeps its own buckets, so the real limit is N times
the configured one; a shared store (Redis, or PostgreSQL) is needed then.
"""

import math
import time
from dataclasses import dataclass, field

from eventing.auth import Principal
from eventing.problems import Problem


@dataclass
class Bucket:
    capacity: float
    rate_per_s: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate_per_s)
        self.updated = now

    def wait_s(self) -> float:
        """Seconds until one token is there (0 when there is one now)."""
        return max(0.0, (1 - self.tokens) / self.rate_per_s)


@dataclass
class RateLimiter:
    per_minute: dict[str, int]
    burst: dict[str, int]
    clock: object = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def _bucket(self, kind: str, key: str, now: float) -> Bucket:
        bucket = self.buckets.get(f"{kind}:{key}")
        if bucket is None:
            if len(self.buckets) > 100_000:
                self.buckets.clear()  # bounded memory; a reset only grants a fresh burst
            bucket = self.buckets[f"{kind}:{key}"] = Bucket(
                self.burst[kind], self.per_minute[kind] / 60, self.burst[kind], now
            )
        bucket.refill(now)
        return bucket

    def take(self, principal: Principal) -> None:
        """Spend one token of the user and one of the employer, or refuse with 429."""
        now = self.clock()
        keys = {"user": principal.subject, "employer": principal.employer_id}
        buckets = [self._bucket(kind, key, now) for kind, key in keys.items() if key]
        wait = max(b.wait_s() for b in buckets)
        if wait > 0:
            raise Problem(
                429,
                "rate_limited",
                "Too many requests; slow down.",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        for bucket in buckets:
            bucket.tokens -= 1
