"""Term frequencies (surnames, given names, birth places), read through a small time-bounded cache."""

import time
from collections.abc import Iterable

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain import Entry, name_keys
from matching.domain.scoring import Frequencies, place_token
from matching.tables import RegistryPerson, TermFrequency

Term = tuple[str, str]  # (field, token)


def terms_of(entries: Iterable[Entry], *, also=()) -> set[Term]:
    """Every term the scorer may weigh for these entries (and the request's own names)."""
    terms: set[Term] = set()
    for person in [*also, *(v for e in entries for v in e.variants)]:
        for surnames, given in ((person.surnames, person.given_names),):
            keys = name_keys(surnames, given)
            # Swapped names: a token may be weighed in the other field.
            for token in (*keys.surname_tokens, *keys.given_tokens):
                terms |= {("surname", token), ("given", token)}
        if token := place_token(person.birth_place):
            terms.add(("place", token))
    return terms


class TermFrequencies:
    """Counts and the registry size, cached for `ttl_s` seconds, bounded in size."""

    def __init__(self, *, ttl_s: float = 300.0, max_terms: int = 100_000) -> None:
        self.ttl_s, self.max_terms = ttl_s, max_terms
        self._counts: dict[Term, tuple[int, float]] = {}
        self._total: tuple[int, float] = (0, float("-inf"))

    async def for_entries(self, tx: AsyncSession, entries, *, request=None) -> Frequencies:
        """Frequencies covering the entries' terms and the request's."""
        return await self.for_terms(tx, terms_of(entries, also=(request,) if request else ()))

    async def for_terms(self, tx: AsyncSession, terms: Iterable[Term]) -> Frequencies:
        """Frequencies covering `terms`, fetching only what the cache lacks."""
        now = time.monotonic()
        wanted = set(terms)
        never = (0, now - self.ttl_s - 1)
        stale = [t for t in wanted if now - self._counts.get(t, never)[1] > self.ttl_s]
        if stale:
            key = tuple_(TermFrequency.field, TermFrequency.token)
            rows = await tx.execute(
                select(TermFrequency.field, TermFrequency.token, TermFrequency.persons).where(
                    key.in_(stale)
                )
            )
            found = {(f, t): n for f, t, n in rows.tuples().all()}
            if len(self._counts) + len(stale) > self.max_terms:
                self._counts.clear()
            self._counts |= {t: (found.get(t, 0), now) for t in stale}
        total = await self._registry_size(tx, now)
        return Frequencies({t: self._counts.get(t, (0, now))[0] for t in wanted}, total)

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
