"""matching's use cases: decide a request, close a cancelled one, and the agents' review queue.

Handlers and routes call this module only; it calls the pure domain and the repository. Every
outcome, automatic or an agent's, records its decision and stages its event in the caller's
transaction, so state and event commit together.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestData
from eventing.outbox import Outbox
from matching import domain, repository
from matching.domain import (
    NeedsInformation,
    NeedsReview,
    NewPerson,
    Person,
    SamePerson,
    Subject,
    Thresholds,
    Verdict,
)
from matching.tables import ReviewAudit, ReviewCase

INFO_MESSAGE = "We need more data to identify the worker: {missing}."


class CaseRefused(Exception):
    """An agent's action on a case that cannot take it (status, code, title)."""

    def __init__(self, status: int, code: str, title: str) -> None:
        super().__init__(code)
        self.status, self.code, self.title = status, code, title


@dataclass(frozen=True)
class CaseDetail:
    """A case with the request as submitted and its candidates scored against today's registry."""

    case: ReviewCase
    data: RequestData
    person: Person
    entries: tuple[domain.Entry, ...]
    scored: dict[str, domain.Scored]
    trail: tuple[ReviewAudit, ...]


@dataclass(frozen=True)
class AgentAction:
    """What an agent decided on a case, and why."""

    action: str  # same_person | new_person | request_information | reject
    reason: str
    person_id: int | None = None
    message: str | None = None
    missing: tuple[str, ...] = ()
    reason_code: str = "agent_rejected"


class Matching:
    """Search, score and decide with the configured thresholds; stage outcomes in the outbox.

    Offline tools (match_file, the benchmarks) judge without an outbox: they decide nothing.
    """

    def __init__(
        self,
        thresholds: Thresholds,
        *,
        outbox: Outbox | None = None,
        frequencies: repository.SurnameFrequencies | None = None,
    ) -> None:
        self.thresholds, self.outbox = thresholds, outbox
        self.frequencies = frequencies or repository.SurnameFrequencies()

    async def judge(
        self, tx: AsyncSession, person: Person, *, claimed_ssin: str | None = None
    ) -> Verdict:
        """Search the registry for `person`, score every candidate, decide."""
        ids = await repository.find_candidate_ids(tx, person)
        claimed = await repository.load_entry_by_ssin(tx, claimed_ssin) if claimed_ssin else None
        if claimed is not None and claimed.person_id not in ids:
            ids.append(claimed.person_id)
        entries = await repository.load_entries(tx, ids)
        frequency = await self.frequencies.for_entries(tx, entries)
        return domain.judge(
            person, entries, self.thresholds, frequency=frequency, claimed_ssin=claimed_ssin
        )

    async def score(self, tx: AsyncSession, person: Person, entries) -> tuple:
        """Today's scores of `entries` against `person`, best first."""
        frequency = await self.frequencies.for_entries(tx, entries)
        return domain.score_entries(person, entries, frequency=frequency)

    async def decide_request(self, tx: AsyncSession, event: Event, data: RequestData) -> None:
        """Search before create, under a lock, and stage the outcome with the decision."""
        if await repository.is_settled(tx, event.request_id, event.request_version):
            return
        await repository.lock_creation(tx, data.person.birth_date)
        person = domain.person_from(data)
        verdict = await self.judge(tx, person, claimed_ssin=data.claimed_ssin)
        await self.outbox.stage(tx, await self._apply(tx, Subject.of(event), data, verdict))

    async def supersede(self, tx: AsyncSession, event: Event, data: RequestData) -> None:
        """A corrected version closes the open cases of the previous one, then is decided."""
        await repository.close_open_cases(tx, event.request_id, resolution="superseded")
        await self.decide_request(tx, event, data)

    async def cancel(self, tx: AsyncSession, event: Event) -> None:
        """Close the request's open cases and remember it, so a late submission is not decided."""
        await repository.close_open_cases(tx, event.request_id, resolution="cancelled")
        repository.save_decision(
            tx,
            Subject.of(event, decided_by="employer"),
            outcome="cancelled",
            explanation={"rule": "cancelled by the employer"},
        )

    async def _apply(
        self, tx: AsyncSession, subject: Subject, data: RequestData, verdict: Verdict
    ) -> Event:
        """The outcome event of an automatic decision, its state written in `tx`."""
        th, person = self.thresholds, domain.person_from(data)
        match verdict.decision:
            case SamePerson(candidate_id=candidate_id):
                entry = verdict.entry(candidate_id)
                explanation = domain.explain(verdict, th, rule="same_person")
                completed = domain.completed_fields(person, entry)
                return assign_existing(tx, subject, entry, completed, explanation)
            case NeedsReview(reason=reason, candidate_ids=ids):
                candidates = domain.review_candidates(verdict, ids)
                explanation = domain.explain(verdict, th, rule="review")
                return open_review(tx, subject, data, reason, candidates, explanation)
            case NewPerson():
                explanation = domain.explain(verdict, th, rule="new_person")
                return await assign_new_bis(tx, subject, data, explanation)
            case NeedsInformation(missing=missing):
                message = INFO_MESSAGE.format(missing=", ".join(missing))
                explanation = domain.explain(verdict, th, rule="minimum_data_not_met")
                return request_information(tx, subject, list(missing), message, explanation)
        raise TypeError(f"unknown decision {type(verdict.decision).__name__}")

    # The review queue ------------------------------------------------------------------------

    async def open_cases(
        self, tx: AsyncSession, *, reason: str | None, limit: int
    ) -> list[ReviewCase]:
        """Cases still to decide, oldest first."""
        return await repository.load_open_cases(tx, reason=reason, limit=limit)

    async def case_detail(self, tx: AsyncSession, case_id: UUID) -> CaseDetail:
        case = await repository.load_case(tx, case_id)
        if case is None:
            raise CaseRefused(404, "review.case_not_found", "No such case.")
        data = RequestData.model_validate(case.request)
        person = domain.person_from(data)
        entries = await repository.load_entries(tx, [c["person_id"] for c in case.candidates])
        scored = {s.candidate_id: s for s in await self.score(tx, person, entries)}
        trail = await repository.load_audit(tx, case.id)
        entries.sort(key=lambda e: -scored[str(e.person_id)].weight)
        return CaseDetail(case, data, person, tuple(entries), scored, tuple(trail))

    async def open_case(self, tx: AsyncSession, case_id: UUID, agent_id: str) -> ReviewCase:
        """The case, locked, when this agent may act on it; claimed for them if nobody held it."""
        case = await repository.load_case(tx, case_id, for_update=True)
        if case is None:
            raise CaseRefused(404, "review.case_not_found", "No such case.")
        if case.status == "closed":
            raise CaseRefused(409, "review.case_closed", "The case is already decided.")
        if case.claimed_by not in (None, agent_id):
            raise CaseRefused(409, "review.claimed_by_another", "Another agent holds this case.")
        if case.claimed_by != agent_id:
            repository.claim(tx, case, agent_id=agent_id)
        return case

    async def decide_case(
        self, tx: AsyncSession, case_id: UUID, agent_id: str, action: AgentAction
    ) -> Event:
        """Resolve a case as an automatic decision would, recording who decided and why."""
        case = await self.open_case(tx, case_id, agent_id)
        subject = Subject(
            case.request_id,
            case.request_version,
            case.employer_id,
            None,
            None,
            decided_by="agent",
            agent_id=agent_id,
        )
        explanation = {"rule": f"agent:{action.action}", "case_id": str(case.id)}
        event = await self._agent_outcome(tx, subject, case, action, explanation)
        details = {"event_id": str(event.event_id), "person_id": action.person_id}
        details["ssin"] = getattr(event, "ssin", None)
        repository.close(
            tx,
            case,
            actor=agent_id,
            resolution=action.action,
            reason=action.reason,
            details=details,
        )
        await self.outbox.stage(tx, event)
        return event

    async def _agent_outcome(
        self,
        tx: AsyncSession,
        subject: Subject,
        case: ReviewCase,
        action: AgentAction,
        explanation: dict,
    ) -> Event:
        data = RequestData.model_validate(case.request)
        explanation["reason"] = action.reason
        if action.action == "same_person":
            entries = await repository.load_entries(
                tx, [action.person_id] if action.person_id else []
            )
            if not entries:
                raise CaseRefused(422, "review.person_required", "Name the registry person.")
            completed = domain.completed_fields(domain.person_from(data), entries[0])
            return assign_existing(tx, subject, entries[0], completed, explanation)
        if action.action == "new_person":
            await repository.lock_creation(tx, data.person.birth_date)
            return await assign_new_bis(tx, subject, data, explanation)
        if action.action == "request_information":
            message = action.message or action.reason
            return request_information(tx, subject, list(action.missing), message, explanation)
        repository.save_decision(tx, subject, outcome="rejected", explanation=explanation)
        return domain.rejected(subject, action.reason_code, action.reason)


def assign_existing(tx, subject: Subject, entry, completed: dict, explanation: dict) -> Event:
    """The requester is a registry person: their number, and what the registry completes."""
    kind = domain.KINDS[entry.number_type]
    repository.save_decision(tx, subject, outcome=kind, ssin=entry.ssin, explanation=explanation)
    return domain.number_assigned(subject, entry.ssin, kind, completed)


async def assign_new_bis(tx, subject: Subject, data: RequestData, explanation: dict) -> Event:
    """A new BIS number, and the person filed so that the next request for them matches."""
    person = domain.person_from(data)
    ssin = await repository.allocate_for_request(
        tx, subject.request_id, person.birth_date, person.sex
    )
    filed = domain.new_registry_person(
        ssin, data, request_id=subject.request_id, by=subject.decided_by
    )
    await repository.save_person(tx, filed)
    repository.save_decision(tx, subject, outcome="new_bis", ssin=ssin, explanation=explanation)
    return domain.number_assigned(subject, ssin, "new_bis")


def open_review(tx, subject, data: RequestData, reason, candidates, explanation) -> Event:
    """An agent must decide: the case keeps the request as submitted and the candidates found."""
    case_id = repository.save_case(
        tx, subject, reason=reason, request=data.model_dump(mode="json"), candidates=candidates
    )
    explanation = {**explanation, "case_id": str(case_id), "reason": reason}
    repository.save_decision(tx, subject, outcome="review", explanation=explanation)
    return domain.review_opened(subject, case_id, reason)


def request_information(tx, subject, missing: list[str], message, explanation) -> Event:
    repository.save_decision(tx, subject, outcome="info_requested", explanation=explanation)
    return domain.info_requested(subject, missing, message)
