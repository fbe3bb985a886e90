"""The events a decision produces, automatic or an agent's, for one request version. Pure."""

from dataclasses import dataclass
from uuid import UUID

from contracts import Event, InfoRequested, NumberAssigned, RequestRejected, ReviewOpened

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
    def of(cls, event: Event, **who) -> "Subject":
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


def number_assigned(subject: Subject, ssin: str, kind: str, completed=None) -> NumberAssigned:
    return NumberAssigned(
        **subject.envelope(),
        ssin=ssin,
        kind=kind,
        completed=completed or {},
        decided_by=subject.decided_by,
        agent_id=subject.agent_id,
    )


def review_opened(
    subject: Subject, case_id: UUID, reason: str, *, expected_delay_days: int | None = None
) -> ReviewOpened:
    return ReviewOpened(
        **subject.envelope(),
        case_id=case_id,
        reason=reason,
        expected_delay_days=expected_delay_days,
    )


def info_requested(subject: Subject, missing: list[str], message: str | None) -> InfoRequested:
    return InfoRequested(
        **subject.envelope(),
        missing=missing,
        message=message,
        requested_by=subject.decided_by,
        agent_id=subject.agent_id,
    )


def rejected(subject: Subject, reason_code: str, reason: str | None) -> RequestRejected:
    return RequestRejected(
        **subject.envelope(), reason_code=reason_code, reason=reason, agent_id=subject.agent_id
    )
