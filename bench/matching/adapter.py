"""The one place the benchmarks call the matcher: a request in, what it decided out."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import RequestData
from matching import repository
from matching.domain import (
    NeedsInformation,
    NeedsReview,
    NewPerson,
    SamePerson,
    Thresholds,
    Verdict,
    person_from,
)
from matching.domain.model import Model
from matching.service import Matching


@dataclass(frozen=True)
class Outcome:
    decision: str  # same_person | review | new_person | information
    ssin: str | None  # the number of an automatic "same person"
    candidates: frozenset[str]  # every number the search found
    best: str | None  # the best-scored candidate's number
    best_weight: float | None


def outcome_of(verdict: Verdict) -> Outcome:
    d = verdict.decision
    ssins = frozenset(e.ssin for e in verdict.entries.values())
    best = verdict.scored[0] if verdict.scored else None
    best_ssin = verdict.entry(best.candidate_id).ssin if best else None
    weight = best.weight if best else None
    if isinstance(d, SamePerson):
        return Outcome("same_person", verdict.entry(d.candidate_id).ssin, ssins, best_ssin, weight)
    kind = {NeedsReview: "review", NewPerson: "new_person", NeedsInformation: "information"}
    return Outcome(kind[type(d)], None, ssins, best_ssin, weight)


class Matcher:
    """The service's engine with the given thresholds (and model: else the service's own)."""

    def __init__(self, thresholds: Thresholds, *, model: Model | None = None) -> None:
        self.thresholds = thresholds
        models = repository.Models(fixed=model) if model else repository.Models()
        self.engine = Matching(thresholds, models=models)
        self.model_version = (model or repository.models.DEFAULT).version

    async def verdict(self, tx: AsyncSession, data: RequestData) -> Verdict:
        return await self.engine.judge(tx, person_from(data))

    async def decide(self, tx: AsyncSession, data: RequestData) -> Outcome:
        verdict = await self.verdict(tx, data)
        self.model_version = verdict.model_version
        return outcome_of(verdict)

    async def search(self, tx: AsyncSession, data: RequestData) -> int:
        """Candidate search alone; how many it found."""
        return len(await repository.find_candidate_ids(tx, person_from(data)))
