"""Decide on each submitted or corrected request; close review cases of cancelled requests."""

from sqlalchemy import exists, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, InfoProvided, RequestCancelled, RequestData, RequestSubmitted
from eventing.outbox import Outbox
from matching import cases
from matching.domain import NeedsInformation, NeedsReview, NewPerson, Person, SamePerson
from matching.engine import Engine, Verdict, completed_fields, explain, explain_candidate
from matching.keys import creation_lock_key
from matching.outcomes import (
    Subject,
    assign_existing,
    assign_new_bis,
    open_review,
    person_from,
    record,
    request_information,
)
from matching.tables import Decision

INFO_MESSAGE = "We need more data to identify the worker: {missing}."


class MatchingHandlers:
    def __init__(self, outbox: Outbox, engine: Engine) -> None:
        self.outbox, self.engine = outbox, engine

    async def on_request_submitted(self, event: RequestSubmitted, tx: AsyncSession) -> None:
        await self._decide(event, event.data, tx)

    async def on_info_provided(self, event: InfoProvided, tx: AsyncSession) -> None:
        await cases.close_open_cases(tx, event.request_id, resolution="superseded")
        await self._decide(event, event.data, tx)

    async def on_request_cancelled(self, event: RequestCancelled, tx: AsyncSession) -> None:
        await cases.close_open_cases(tx, event.request_id, resolution="cancelled")
        # Remembered so that a RequestSubmitted arriving later (another topic) is not decided.
        await record(
            tx,
            Subject.of(event, decided_by="employer"),
            outcome="cancelled",
            explanation={"rule": "cancelled by the employer"},
        )

    async def _decide(self, event: Event, data: RequestData, tx: AsyncSession) -> None:
        """Search before create, under a lock, and stage the outcome with the decision."""
        if await is_settled(tx, event):
            return
        await lock_creation(tx, data.person.birth_date)
        person = person_from(data)
        verdict = await self.engine.judge(tx, person, claimed_ssin=data.claimed_ssin)
        outcome = await self.apply(tx, Subject.of(event), data, person, verdict)
        await self.outbox.stage(tx, outcome)

    async def apply(
        self,
        tx: AsyncSession,
        subject: Subject,
        data: RequestData,
        person: Person,
        verdict: Verdict,
    ) -> Event:
        """The outcome event of an automatic decision, its state written in `tx`."""
        decision, th = verdict.decision, self.engine.thresholds
        match decision:
            case SamePerson(candidate_id=candidate_id):
                entry = verdict.entry(candidate_id)
                return await assign_existing(
                    tx,
                    subject,
                    entry,
                    completed=completed_fields(person, entry),
                    explanation=explain(verdict, th, rule="same_person"),
                )
            case NeedsReview(reason=reason, candidate_ids=ids):
                return await open_review(
                    tx,
                    subject,
                    data,
                    reason=reason,
                    candidates=review_candidates(verdict, ids),
                    explanation=explain(verdict, th, rule="review"),
                )
            case NewPerson():
                return await assign_new_bis(
                    tx, subject, data, explanation=explain(verdict, th, rule="new_person")
                )
            case NeedsInformation(missing=missing):
                return await request_information(
                    tx,
                    subject,
                    missing=list(missing),
                    message=INFO_MESSAGE.format(missing=", ".join(missing)),
                    explanation=explain(verdict, th, rule="minimum_data_not_met"),
                )
        raise TypeError(f"unknown decision {type(decision).__name__}")

    def table(self):
        return {
            RequestSubmitted: self.on_request_submitted,
            InfoProvided: self.on_info_provided,
            RequestCancelled: self.on_request_cancelled,
        }


def review_candidates(verdict: Verdict, candidate_ids: tuple[str, ...]) -> list[dict]:
    """The candidates an agent compares, with the weights and agreements at the time."""
    by_id = {s.candidate_id: s for s in verdict.scored}
    return [
        explain_candidate(by_id[cid], verdict.entry(cid))
        for cid in candidate_ids[:10]
        if cid in by_id
    ]


async def is_settled(tx: AsyncSession, event: Event) -> bool:
    """True when this version (or a later one) was decided, or the request was cancelled."""
    decided = (Decision.request_id == event.request_id) & (
        (Decision.version >= event.request_version) | (Decision.outcome == "cancelled")
    )
    return bool(await tx.scalar(select(exists().where(decided))))


async def lock_creation(tx: AsyncSession, birth_date: str | None) -> None:
    """Serialise search-then-create for one birth date until this transaction ends.

    Under READ COMMITTED the search that follows the lock sees what the previous holder filed,
    so two employers submitting the same new person at once get one BIS number.
    """
    await tx.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": creation_lock_key(birth_date)},
    )
