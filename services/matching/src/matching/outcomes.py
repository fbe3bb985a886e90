"""The four outcomes of a decision, automatic or an agent's: each records the decision and returns
the event to stage in the same transaction."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event as ContractEvent
from contracts import InfoRequested, NumberAssigned, RequestData, RequestRejected, ReviewOpened
from matching.bis_repository import allocate_for_request
from matching.domain import Person
from matching.registry import Document, Entry, NewPerson, save_person
from matching.tables import Decision, ReviewCase

KINDS = {"national_register": "national_register", "bis": "existing_bis"}


@dataclass(frozen=True)
class Subject:
    """The request version a decision is about, and who decides it."""

    request_id: UUID
    version: int
    employer_id: str
    correlation_id: UUID | None
    causation_id: UUID | None
    decided_by: str = "automatic"
    agent_id: str | None = None

    @classmethod
    def of(cls, event: ContractEvent, **who) -> "Subject":
        return cls(
            event.request_id,
            event.request_version,
            event.employer_id,
            event.correlation_id or event.event_id,
            event.event_id,
            **who,
        )

    def envelope(self) -> dict:
        return {
            "producer": "matching",
            "request_id": self.request_id,
            "employer_id": self.employer_id,
            "request_version": self.version,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
        }


def person_from(data: RequestData) -> Person:
    """A request's personal data as the domain compares it."""
    p, doc = data.person, data.person.document
    contact = data.contact_address
    return Person(
        surnames=p.surnames,
        given_names=p.given_names or "",
        sex=p.sex,
        birth_date=p.birth_date,
        birth_place=p.birth_place,
        birth_country=p.birth_country,
        nationality=p.nationality,
        document_type=doc.type if doc else None,
        document_number=doc.number if doc else None,
        document_country=doc.issuing_country if doc else None,
        has_foreign_residence=data.residence.country != "BE",
        has_belgian_contact_address=data.residence.country == "BE"
        or (contact is not None and contact.country == "BE"),
    )


async def record(
    tx: AsyncSession, subject: Subject, *, outcome: str, ssin: str | None = None, explanation: dict
) -> None:
    tx.add(
        Decision(
            request_id=subject.request_id,
            version=subject.version,
            decided_by=subject.decided_by,
            agent_id=subject.agent_id,
            employer_id=subject.employer_id,
            outcome=outcome,
            ssin=ssin,
            explanation=explanation,
        )
    )


async def assign_existing(
    tx: AsyncSession,
    subject: Subject,
    entry: Entry,
    *,
    completed: dict[str, str],
    explanation: dict,
) -> NumberAssigned:
    """The requester is a registry person: their number, and what the registry completes."""
    kind = KINDS[entry.number_type]
    await record(tx, subject, outcome=kind, ssin=entry.ssin, explanation=explanation)
    return NumberAssigned(
        **subject.envelope(),
        ssin=entry.ssin,
        kind=kind,
        completed=completed,
        decided_by=subject.decided_by,
        agent_id=subject.agent_id,
    )


async def assign_new_bis(
    tx: AsyncSession, subject: Subject, data: RequestData, *, explanation: dict
) -> NumberAssigned:
    """A new BIS number, and the person filed so that the next request for them matches."""
    person = person_from(data)
    ssin = await allocate_for_request(tx, subject.request_id, person.birth_date, person.sex)
    await save_person(tx, new_registry_person(ssin, data, subject.request_id, subject.decided_by))
    await record(tx, subject, outcome="new_bis", ssin=ssin, explanation=explanation)
    return NumberAssigned(
        **subject.envelope(),
        ssin=ssin,
        kind="new_bis",
        decided_by=subject.decided_by,
        agent_id=subject.agent_id,
    )


def new_registry_person(ssin: str, data: RequestData, request_id: UUID, by: str) -> NewPerson:
    doc = data.person.document
    documents = (
        (Document(doc.type, doc.number, doc.issuing_country, doc.expiry_date),)
        if doc and doc.number
        else ()
    )
    addresses = [("residence", data.residence), ("contact", data.contact_address)]
    return NewPerson(
        ssin=ssin,
        identity=person_from(data),
        origin="request" if by == "automatic" else "agent",
        documents=documents,
        request_id=request_id,
        addresses=tuple({"kind": kind, **a.model_dump()} for kind, a in addresses if a),
    )


async def open_review(
    tx: AsyncSession,
    subject: Subject,
    data: RequestData,
    *,
    reason: str,
    candidates: list[dict],
    explanation: dict,
) -> ReviewOpened:
    """An agent must decide: the case keeps the request as submitted and the candidates found."""
    case_id = uuid4()
    tx.add(
        ReviewCase(
            id=case_id,
            request_id=subject.request_id,
            request_version=subject.version,
            employer_id=subject.employer_id,
            reason=reason,
            status="open",
            request=data.model_dump(mode="json"),
            candidates=candidates,
        )
    )
    await record(
        tx,
        subject,
        outcome="review",
        explanation={**explanation, "case_id": str(case_id), "reason": reason},
    )
    return ReviewOpened(**subject.envelope(), case_id=case_id, reason=reason)


async def request_information(
    tx: AsyncSession,
    subject: Subject,
    *,
    missing: list[str],
    message: str | None,
    explanation: dict,
) -> InfoRequested:
    await record(tx, subject, outcome="info_requested", explanation=explanation)
    return InfoRequested(
        **subject.envelope(),
        missing=missing,
        message=message,
        requested_by=subject.decided_by,
        agent_id=subject.agent_id,
    )


async def reject(
    tx: AsyncSession, subject: Subject, *, reason_code: str, reason: str | None, explanation: dict
) -> RequestRejected:
    await record(tx, subject, outcome="rejected", explanation=explanation)
    return RequestRejected(
        **subject.envelope(), reason_code=reason_code, reason=reason, agent_id=subject.agent_id
    )
