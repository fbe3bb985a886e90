"""The one place the benchmarks call the matcher: a request in, what it decided out."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import RequestData
from matching.domain import (
    NeedsInformation,
    NeedsReview,
    NewPerson,
    SamePerson,
    Thresholds,
    person_from,
)
from matching.repository import find_candidate_ids
from matching.service import Matching

MODEL_VERSION = "fixed-2026-12 (hand-set m/u)"


@dataclass(frozen=True)
class Outcome:
    decision: str  # same_person | review | new_person | information
    ssin: str | None  # the number of an automatic "same person"
    candidates: frozenset[str]  # every number the search found
    best: str | None  # the best-scored candidate's number
    best_weight: float | None


class Matcher:
    """The service's engine with the given thresholds."""

    def __init__(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self.engine = Matching(thresholds)
        self.model_version = MODEL_VERSION

    async def decide(self, tx: AsyncSession, data: RequestData) -> Outcome:
        verdict = await self.engine.judge(tx, person_from(data))
        d = verdict.decision
        ssins = frozenset(e.ssin for e in verdict.entries.values())
        best = verdict.scored[0] if verdict.scored else None
        best_ssin = verdict.entry(best.candidate_id).ssin if best else None
        if isinstance(d, SamePerson):
            return Outcome(
                "same_person", verdict.entry(d.candidate_id).ssin, ssins, best_ssin, best.weight
            )
        kind = {NeedsReview: "review", NewPerson: "new_person", NeedsInformation: "information"}
        return Outcome(kind[type(d)], None, ssins, best_ssin, best.weight if best else None)

    async def search(self, tx: AsyncSession, data: RequestData) -> int:
        """Candidate search alone; how many it found."""
        return len(await find_candidate_ids(tx, person_from(data)))
