"""Each employer's decode quota: checking a scan costs memory and CPU, so an employer's uploads
spend from a token bucket (in MB of decoding, shared by every replica) before they are decoded."""

import math
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from eventing.buckets import Limit, TokenBuckets
from eventing.problems import Problem
from intake.tables import decode_quotas

MB = 1_000_000


@dataclass
class DecodeQuota:
    engine: AsyncEngine
    limit: Limit

    def __post_init__(self) -> None:
        self.buckets = TokenBuckets(self.engine, decode_quotas)

    async def spend(self, employer_id: str, cost_bytes: int) -> None:
        """Take the cost of one check from the employer's quota, or refuse with 429."""
        cost = min(cost_bytes / MB, self.limit.burst)  # never more than the bucket can hold
        wait = await self.buckets.take({employer_id: self.limit}, cost=cost)
        if wait > 0:
            raise Problem(
                429,
                "document.quota_exceeded",
                "Too many scans checked for this employer; try again later.",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
