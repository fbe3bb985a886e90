"""Surname frequencies for term-frequency scoring, read through a small time-bounded cache."""

import time
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain import Entry, Frequency, name_keys
from matching.tables import RegistryPerson, SurnameFrequency

# Smoothing: the registry is treated as if it held PRIOR_PERSONS more people among whom every
# surname has the default frequency. A registry of a few people would otherwise call any name
# there "common" (1 of 1) and strip the surname of its weight; at a million the prior fades.
PRIOR_PERSONS = 10_000
DEFAULT_FREQUENCY = 0.002  # the surname u of domain.scoring without term frequencies


def smoothed(count: int, total: int) -> float:
    """Relative frequency of a surname token, pulled towards the default when data is thin."""
    return (count + DEFAULT_FREQUENCY * PRIOR_PERSONS) / (total + PRIOR_PERSONS)


class SurnameFrequencies:
    """Token counts and the registry size, cached for `ttl_s` seconds, bounded in size."""

    def __init__(self, *, ttl_s: float = 300.0, max_tokens: int = 50_000) -> None:
        self.ttl_s, self.max_tokens = ttl_s, max_tokens
        self._counts: dict[str, tuple[int, float]] = {}
        self._total: tuple[int, float] = (0, float("-inf"))

    async def for_entries(self, tx: AsyncSession, entries: Iterable[Entry]) -> Frequency:
        """A frequency function covering every surname token of the entries' names."""
        tokens = {
            t
            for e in entries
            for v in e.variants
            for t in name_keys(v.surnames, v.given_names).surname_tokens
        }
        return await self.for_tokens(tx, tokens)

    async def for_tokens(self, tx: AsyncSession, tokens: Iterable[str]) -> Frequency:
        """A frequency function covering `tokens`, fetching only what the cache lacks."""
        now = time.monotonic()
        wanted = set(tokens)
        never = (0, now - self.ttl_s - 1)
        stale = [t for t in wanted if now - self._counts.get(t, never)[1] > self.ttl_s]
        if stale:
            rows = await tx.execute(
                select(SurnameFrequency.token, SurnameFrequency.persons).where(
                    SurnameFrequency.token.in_(stale)
                )
            )
            found = dict(rows.tuples().all())
            if len(self._counts) + len(stale) > self.max_tokens:
                self._counts.clear()
            self._counts |= {t: (found.get(t, 0), now) for t in stale}
        total = await self._registry_size(tx, now)
        counts = {t: self._counts.get(t, (0, now))[0] for t in wanted}
        return lambda token: smoothed(counts.get(token, 0), total)

    async def _registry_size(self, tx: AsyncSession, now: float) -> int:
        """The number of registry persons: the planner's estimate when large, a count otherwise."""
        if now - self._total[1] <= self.ttl_s:
            return self._total[0]
        estimate = await tx.scalar(
            text("SELECT reltuples::bigint FROM pg_class WHERE oid = 'persons'::regclass")
        )
        size = (
            estimate
            if estimate and estimate >= 100_000
            else await tx.scalar(select(func.count()).select_from(RegistryPerson))
        )
        self._total = (int(size or 0), now)
        return self._total[0]
