"""The matching engine: search the registry, score every candidate, decide. Used by the handlers,
the review queue and the CLIs alike, so one request gets the same answer everywhere."""

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain import (
    Decision,
    MinimumData,
    NeedsReview,
    NewPerson,
    Person,
    SamePerson,
    Scored,
    Thresholds,
    decide,
    hard_conflicts,
    minimum_data,
    score,
)
from matching.frequencies import SurnameFrequencies
from matching.keys import name_keys
from matching.registry import Entry, load_entries, load_entry_by_ssin
from matching.search import find_candidate_ids

EXPLAINED_CANDIDATES = 5


@dataclass(frozen=True)
class Verdict:
    """A decision with everything that explains it."""

    decision: Decision
    scored: tuple[Scored, ...]
    entries: dict[str, Entry]
    minimum: MinimumData
    claimed_ssin: str | None = None
    notes: tuple[str, ...] = field(default=())

    def entry(self, candidate_id: str) -> Entry:
        return self.entries[candidate_id]


class Engine:
    """Search, score and decide with the configured thresholds and a frequency cache."""

    def __init__(self, thresholds: Thresholds, frequencies: SurnameFrequencies | None = None):
        self.thresholds = thresholds
        self.frequencies = frequencies or SurnameFrequencies()

    async def judge(
        self, tx: AsyncSession, person: Person, *, claimed_ssin: str | None = None
    ) -> Verdict:
        """The decision for `person`, an employer's claimed number checked, never trusted."""
        ids = await find_candidate_ids(tx, person)
        claimed = await load_entry_by_ssin(tx, claimed_ssin) if claimed_ssin else None
        if claimed is not None and claimed.person_id not in ids:
            ids.append(claimed.person_id)
        entries = {str(e.person_id): e for e in await load_entries(tx, ids)}
        scored = await self.score(tx, person, entries.values())
        minimum = minimum_data(person)
        decision = decide(
            scored, self.thresholds, minimum_data_met=minimum.met, missing=minimum.missing
        )
        if claimed_ssin:
            decision = check_claim(decision, scored, claimed=claimed)
        return Verdict(decision, scored, entries, minimum, claimed_ssin)

    async def score(self, tx: AsyncSession, person: Person, entries) -> tuple[Scored, ...]:
        """Each entry's best-scoring name and document, best entry first."""
        entries = list(entries)
        tokens = {
            t
            for e in entries
            for v in e.variants
            for t in name_keys(v.surnames, v.given_names).surname_tokens
        }
        frequency = await self.frequencies.for_tokens(tx, tokens)
        best = [
            max(
                (
                    score(person, v, candidate_id=str(e.person_id), frequency=frequency)
                    for v in e.variants
                ),
                key=lambda s: s.weight,
            )
            for e in entries
        ]
        return tuple(sorted(best, key=lambda s: s.weight, reverse=True))


def check_claim(
    decision: Decision, scored: tuple[Scored, ...], *, claimed: Entry | None
) -> Decision:
    """An employer's claimed number stands only when the scores pick that very person."""
    claimed_id = str(claimed.person_id) if claimed else None
    if isinstance(decision, SamePerson) and decision.candidate_id == claimed_id:
        return decision
    if isinstance(decision, SamePerson):
        return NeedsReview(
            "claimed_ssin_differs", (decision.candidate_id,) + ((claimed_id,) if claimed_id else ())
        )
    if isinstance(decision, NewPerson):
        reason = "claimed_ssin_not_confirmed" if claimed_id else "claimed_ssin_unknown"
        return NeedsReview(reason, (claimed_id,) if claimed_id else ())
    return decision


def explain(verdict: Verdict, thresholds: Thresholds, *, rule: str) -> dict:
    """The explanation stored with a decision: thresholds, top candidates and their agreements."""
    return {
        "rule": rule,
        "thresholds": {
            "auto_match": thresholds.auto_match,
            "margin": thresholds.margin,
            "review": thresholds.review,
        },
        "minimum_data": {
            "met": verdict.minimum.met,
            "closest": verdict.minimum.closest,
            "missing": list(verdict.minimum.missing),
        },
        "claimed_ssin_given": verdict.claimed_ssin is not None,
        "candidates_found": len(verdict.scored),
        "candidates": [
            explain_candidate(s, verdict.entry(s.candidate_id))
            for s in verdict.scored[:EXPLAINED_CANDIDATES]
        ],
    }


def explain_candidate(scored: Scored, entry: Entry) -> dict:
    return {
        "person_id": entry.person_id,
        "ssin": entry.ssin,
        "weight": scored.weight,
        "hard_conflicts": list(hard_conflicts(scored)),
        "agreements": [
            {"field": a.field, "level": str(a.level), "weight": a.weight} for a in scored.agreements
        ],
    }


_COMPLETABLE = ("birth_place", "birth_country", "nationality", "given_names")


def completed_fields(request: Person, entry: Entry) -> dict[str, str]:
    """Fields the registry knows and the request lacked (or knew only in part)."""
    known = entry.identity
    completed = {
        name: getattr(known, name)
        for name in _COMPLETABLE
        if getattr(known, name) and not getattr(request, name)
    }
    if known.birth_date and len(known.birth_date) > len(request.birth_date or ""):
        completed["birth_date"] = known.birth_date
    if known.sex in ("male", "female") and request.sex not in ("male", "female"):
        completed["sex"] = known.sex
    return completed
