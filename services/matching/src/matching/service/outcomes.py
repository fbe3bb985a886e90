"""An outcome's state written in the caller's transaction, and the event that announces it."""

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, RequestData
from matching import domain, repository
from matching.domain import Subject, delay
from matching.repository.queue import load_median_waits


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


async def expected_delay(tx: AsyncSession, reason: str | None) -> int | None:
    """Days a case of `reason` is expected to wait, from the live review queue."""
    decided, still_open = await load_median_waits(
        tx, reason=reason, window=delay.WINDOW, min_sample=delay.MIN_SAMPLE
    )
    return delay.expected_delay_days(decided, still_open=still_open)


def open_review(
    tx, subject, data: RequestData, reason, candidates, explanation, delay_days: int | None = None
) -> Event:
    """An agent must decide: the case keeps the request as submitted and the candidates found."""
    case_id = repository.save_case(
        tx, subject, reason=reason, request=data.model_dump(mode="json"), candidates=candidates
    )
    explanation = {**explanation, "case_id": str(case_id), "reason": reason}
    repository.save_decision(tx, subject, outcome="review", explanation=explanation)
    return domain.review_opened(subject, case_id, reason, expected_delay_days=delay_days)


def request_information(tx, subject, missing: list[str], message, explanation) -> Event:
    repository.save_decision(tx, subject, outcome="info_requested", explanation=explanation)
    return domain.info_requested(subject, missing, message)
