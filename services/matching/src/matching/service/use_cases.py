"""The use cases on one object: decide a request, close a cancelled or expired one, the agents'
review queue and their registry look-up."""

import time
from dataclasses import dataclass, replace
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestData, eligibility
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
from matching.domain.agents import AgentAction, RegistryQuery
from matching.domain.eligibility import restrict
from matching.metrics import SCORE_SECONDS, SEARCH_SECONDS
from matching.service.outcomes import (
    assign_existing,
    assign_new_bis,
    expected_delay,
    open_review,
    request_information,
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


class Matching:
    """Search, score and decide with the configured thresholds; stage outcomes in the outbox.

    Offline tools (match_file, the benchmarks) judge without an outbox: they decide nothing.
    """

    def __init__(
        self,
        thresholds: Thresholds,
        *,
        outbox: Outbox | None = None,
        frequencies: repository.TermFrequencies | None = None,
        models: repository.Models | None = None,
        legal_working_age: int = eligibility.LEGAL_WORKING_AGE,
    ) -> None:
        self.thresholds, self.outbox = thresholds, outbox
        self.legal_working_age = legal_working_age
        self.frequencies = frequencies or repository.TermFrequencies()
        self.models = models or repository.Models()

    async def judge(
        self,
        tx: AsyncSession,
        person: Person,
        *,
        claimed_ssin: str | None = None,
        national_register_only: bool = False,
    ) -> Verdict:
        """Search the registry (or its National Register part) for `person`, score, decide."""
        started = time.perf_counter()
        ids = await repository.find_candidate_ids(tx, person)
        claimed = await repository.load_entry_by_ssin(tx, claimed_ssin) if claimed_ssin else None
        if claimed is not None and claimed.person_id not in ids:
            ids.append(claimed.person_id)
        entries = await repository.load_entries(tx, ids)
        if national_register_only:
            entries = [e for e in entries if e.number_type == "national_register"]
        searched = time.perf_counter()
        SEARCH_SECONDS.observe(searched - started)
        frequency = await self.frequencies.for_entries(tx, entries, request=person)
        model = await self.models.current(tx)
        verdict = domain.judge(
            person,
            entries,
            self.thresholds,
            frequency=frequency,
            claimed_ssin=claimed_ssin,
            model=model,
        )
        SCORE_SECONDS.observe(time.perf_counter() - searched)
        return verdict

    async def score(self, tx: AsyncSession, person: Person, entries) -> tuple:
        """Today's scores of `entries` against `person`, best first."""
        frequency = await self.frequencies.for_entries(tx, entries, request=person)
        model = await self.models.current(tx)
        return domain.score_entries(person, entries, frequency=frequency, model=model)

    async def decide_request(self, tx: AsyncSession, event: Event, data: RequestData) -> None:
        """Search before create, under a lock, and stage the outcome with the decision."""
        if await repository.settled_else_lock(
            tx, event.request_id, event.request_version, data.person.birth_date
        ):
            return
        subject = Subject.of(event)
        if reason := eligibility.refusal(data.employment):
            # intake's form refuses these already; a producer that skipped the rule is refused too.
            explanation = {"rule": "eligibility", "reason": reason}
            repository.save_decision(tx, subject, outcome="rejected", explanation=explanation)
            await self.outbox.stage(tx, domain.rejected(subject, reason, None))
            return
        belgian = eligibility.is_belgian(
            nationality=data.person.nationality, residence_country=data.residence.country
        )
        person = domain.person_from(data)
        verdict = await self.judge(
            tx, person, claimed_ssin=data.claimed_ssin, national_register_only=belgian
        )
        under_age = eligibility.possibly_under_working_age(
            data.person.birth_date, on=event.occurred_at.date(), minimum=self.legal_working_age
        )
        decision = restrict(verdict.decision, belgian=belgian, under_age=under_age)
        verdict = replace(verdict, decision=decision)
        await self.outbox.stage(tx, await self._apply(tx, subject, data, verdict))

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
                days = await expected_delay(tx, reason)
                return open_review(tx, subject, data, reason, candidates, explanation, days)
            case NewPerson():
                explanation = domain.explain(verdict, th, rule="new_person")
                return await assign_new_bis(tx, subject, data, explanation)
            case NeedsInformation(missing=missing):
                message = INFO_MESSAGE.format(missing=", ".join(missing))
                explanation = domain.explain(verdict, th, rule="minimum_data_not_met")
                return request_information(tx, subject, list(missing), message, explanation)
        raise TypeError(f"unknown decision {type(verdict.decision).__name__}")

    async def expire(self, tx: AsyncSession, event: Event) -> None:
        """Remember that the employer never answered: the back office counts it, and a late
        duplicate of this version is not decided."""
        repository.save_decision(
            tx,
            Subject.of(event, decided_by="expiry"),
            outcome="expired",
            explanation={"rule": "information request unanswered"},
        )

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
            entry = await self._chosen_person(tx, case, action, subject.agent_id or "")
            completed = domain.completed_fields(domain.person_from(data), entry)
            self._label(tx, case, match=entry.person_id, by=subject.agent_id or "")
            return assign_existing(tx, subject, entry, completed, explanation)
        if action.action == "new_person":
            await repository.lock_creation(tx, data.person.birth_date)
            self._label(tx, case, match=None, by=subject.agent_id or "")
            return await assign_new_bis(tx, subject, data, explanation)
        if action.action == "request_information":
            # The note (action.reason) stays in the audit trail: only the message is the employer's.
            return request_information(
                tx, subject, list(action.missing), action.message, explanation
            )
        repository.save_decision(tx, subject, outcome="rejected", explanation=explanation)
        return domain.rejected(subject, action.reason_code, action.message)

    async def _chosen_person(
        self, tx: AsyncSession, case: ReviewCase, action: AgentAction, agent_id: str
    ) -> domain.Entry:
        """The person an agent names: one of the case's candidates, or one the agent found for
        this case through the audited registry look-up. Anyone else is refused (issue 11: a
        request was given a stranger's number)."""
        person_id = action.person_id
        if person_id is None:
            raise CaseRefused(422, "review.person_required", "Name the registry person.")
        among = person_id in {c["person_id"] for c in case.candidates}
        found = among or await repository.was_found_by(
            tx, agent_id=agent_id, case_id=case.id, person_id=person_id
        )
        entries = await repository.load_entries(tx, [person_id]) if found else []
        if not entries:
            raise CaseRefused(
                422,
                "review.person_not_offered",
                "Name one of the case's candidates or a person your registry look-up found.",
            )
        return entries[0]

    @staticmethod
    def _label(tx: AsyncSession, case: ReviewCase, *, match: int | None, by: str) -> None:
        """Keep the agent's verdict on every candidate as a label for the next estimate."""
        labels = [
            (
                c["person_id"],
                c["person_id"] == match,
                {a["field"]: a["level"] for a in c["agreements"]},
            )
            for c in case.candidates
        ]
        repository.save_labels(tx, case.id, labels, by=by)

    # The registry look-up ---------------------------------------------------------------------

    async def search_registry(
        self, tx: AsyncSession, query: RegistryQuery, *, agent_id: str
    ) -> list[tuple[domain.Entry, float | None]]:
        """Registry persons like the query (an exact number first), audited with the agent."""
        if query.case_id and await repository.load_case(tx, query.case_id) is None:
            raise CaseRefused(404, "review.case_not_found", "No such case.")
        entries: list[domain.Entry] = []
        if query.ssin and (exact := await repository.load_entry_by_ssin(tx, query.ssin)):
            entries.append(exact)
        person = query.person()
        scored: dict[str, float] = {}
        if person.surnames or person.given_names or person.document_number:
            ids = await repository.find_candidate_ids(tx, person, limit=query.limit)
            found = await repository.load_entries(tx, ids)
            scored = {s.candidate_id: s.weight for s in await self.score(tx, person, found)}
            found.sort(key=lambda e: -scored[str(e.person_id)])
            entries += [e for e in found if e.person_id not in {x.person_id for x in entries}]
        entries = entries[: query.limit]
        await repository.save_lookup(
            tx,
            agent_id=agent_id,
            case_id=query.case_id,
            query=query.audited(),
            person_ids=[e.person_id for e in entries],
        )
        return [(e, scored.get(str(e.person_id))) for e in entries]
