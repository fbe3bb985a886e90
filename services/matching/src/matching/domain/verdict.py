"""Score every candidate, decide, and explain the decision. Pure: the service brings the data."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from contracts.identification import MinimumData, minimum_data
from matching.domain.decide import (
    Decision,
    NeedsReview,
    NewPerson,
    SamePerson,
    Thresholds,
    decide,
    hard_conflicts,
)
from matching.domain.model import PRIOR, Model
from matching.domain.person import Entry, Person
from matching.domain.scoring import Frequencies, Frequency, Scored, score

EXPLAINED_CANDIDATES = 5


@dataclass(frozen=True)
class Verdict:
    """A decision with everything that explains it."""

    decision: Decision
    scored: tuple[Scored, ...]
    entries: dict[str, Entry]
    minimum: MinimumData
    claimed_ssin: str | None = None
    model_version: str = PRIOR.version
    notes: tuple[str, ...] = field(default=())

    def entry(self, candidate_id: str) -> Entry:
        return self.entries[candidate_id]


def score_entries(
    person: Person,
    entries: Iterable[Entry],
    *,
    frequency: Frequencies | Frequency | None,
    model: Model = PRIOR,
) -> tuple[Scored, ...]:
    """Each entry's best-scoring name and document, best entry first."""
    best = [
        max(
            (
                score(person, v, candidate_id=str(e.person_id), frequency=frequency, model=model)
                for v in e.variants
            ),
            key=lambda s: s.weight,
        )
        for e in entries
    ]
    return tuple(sorted(best, key=lambda s: s.weight, reverse=True))


def judge(
    person: Person,
    entries: Iterable[Entry],
    thresholds: Thresholds,
    *,
    frequency: Frequencies | Frequency | None = None,
    claimed_ssin: str | None = None,
    model: Model = PRIOR,
) -> Verdict:
    """The decision for `person` among `entries`; an employer's claimed number checked, not trusted."""
    by_id = {str(e.person_id): e for e in entries}
    scored = score_entries(person, by_id.values(), frequency=frequency, model=model)
    minimum = minimum_data(person)
    decision = decide(scored, thresholds, minimum_data_met=minimum.met, missing=minimum.missing)
    if claimed_ssin:
        claimed = next((e for e in by_id.values() if e.ssin == claimed_ssin), None)
        decision = check_claim(decision, claimed=claimed)
    return Verdict(decision, scored, by_id, minimum, claimed_ssin, model.version)


def check_claim(decision: Decision, *, claimed: Entry | None) -> Decision:
    """An employer's claimed number stands only when the scores pick that very person.

    Whether the claimed number is registered or not, the answer is the same review reason: a
    different one would tell another employer which numbers exist (issue 11, item 10).
    """
    claimed_id = str(claimed.person_id) if claimed else None
    if isinstance(decision, SamePerson) and decision.candidate_id == claimed_id:
        return decision
    if isinstance(decision, SamePerson):
        return NeedsReview(
            "claimed_ssin_differs", (decision.candidate_id,) + ((claimed_id,) if claimed_id else ())
        )
    if isinstance(decision, NewPerson):
        return NeedsReview("claimed_ssin_not_confirmed", (claimed_id,) if claimed_id else ())
    return decision


def explain(verdict: Verdict, thresholds: Thresholds, *, rule: str) -> dict:
    """The explanation stored with a decision: thresholds, top candidates and their agreements."""
    return {
        "rule": rule,
        "model_version": verdict.model_version,
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


def review_candidates(verdict: Verdict, candidate_ids: tuple[str, ...]) -> list[dict]:
    """The candidates an agent compares, with the weights and agreements at the time."""
    by_id = {s.candidate_id: s for s in verdict.scored}
    return [
        explain_candidate(by_id[cid], verdict.entry(cid))
        for cid in candidate_ids[:10]
        if cid in by_id
    ]


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
