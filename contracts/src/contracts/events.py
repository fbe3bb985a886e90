"""Every event idpro services exchange. Past-tense facts; the topic is a class variable; key = request_id.

Changes are additive only: tests/test_schema_snapshot.py fails on a breaking change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from contracts.values import Address, DocumentRef, EmploymentKind, Language, Person, Ssin


class Event(BaseModel):
    """The envelope every event carries."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")
    topic: ClassVar[str]

    event_id: UUID = Field(default_factory=uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    correlation_id: UUID | None = None
    causation_id: UUID | None = None
    producer: str

    request_id: UUID
    employer_id: str
    request_version: int = Field(default=1, ge=1)

    @property
    def key(self) -> bytes:
        """All events of one request share a key, so they stay in order on one partition."""
        return str(self.request_id).encode()


class RequestData(BaseModel):
    """What a submitted (or corrected) request holds, minus the document bytes."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    person: Person
    residence: Address
    contact_address: Address | None = None
    claimed_ssin: Ssin | None = None
    documents: list[DocumentRef] = Field(default_factory=list, max_length=4)
    # None: an older client that was not asked (read as ordinary employment).
    employment: EmploymentKind | None = None


class RequestSubmitted(Event):
    """The first event of a request: it starts the correlation every later event carries (its
    own id when the producer names none)."""

    topic: ClassVar[str] = "intake.request-submitted"
    requester_id: str
    requester_name: str | None = None
    # The social secretariat or service provider that sent it for the employer (its number).
    mandatary_id: str | None = None
    data: RequestData
    notification_email: EmailStr
    language: Language

    @model_validator(mode="before")
    @classmethod
    def _starts_a_correlation(cls, data):
        if isinstance(data, dict) and not data.get("correlation_id"):
            event_id = data.get("event_id") or uuid4()
            data = {**data, "event_id": event_id, "correlation_id": event_id}
        return data


class RequestCancelled(Event):
    topic: ClassVar[str] = "intake.request-cancelled"
    cancelled_by: str
    cancelled_by_name: str | None = None  # as the employer's users know them (not the id)
    reason: str | None = None


class InfoProvided(Event):
    topic: ClassVar[str] = "intake.info-provided"
    provided_by: str
    provided_by_name: str | None = None
    data: RequestData


class InfoReminded(Event):
    """An information request still unanswered after the reminder delay: the employer is reminded."""

    topic: ClassVar[str] = "intake.info-reminded"
    requested_at: datetime
    expires_at: datetime
    missing: list[str] = Field(default_factory=list)


class RequestExpired(Event):
    """An information request unanswered past its deadline: the request is closed (final)."""

    topic: ClassVar[str] = "intake.request-expired"
    requested_at: datetime
    after_days: int = Field(ge=0)


class NumberAssigned(Event):
    topic: ClassVar[str] = "matching.number-assigned"
    ssin: Ssin
    kind: Literal["national_register", "existing_bis", "new_bis"]
    # Fields the registry completed or corrected, by name (e.g. {"birth_place": "Kraków"}).
    completed: dict[str, str] = Field(default_factory=dict)
    decided_by: Literal["automatic", "agent"] = "automatic"
    agent_id: str | None = None


class ReviewOpened(Event):
    topic: ClassVar[str] = "matching.review-opened"
    case_id: UUID
    reason: str
    expected_delay_days: int | None = None


class InfoRequested(Event):
    topic: ClassVar[str] = "matching.info-requested"
    missing: list[str] = Field(default_factory=list)
    message: str | None = None
    requested_by: Literal["automatic", "agent"] = "automatic"
    agent_id: str | None = None


class RequestRejected(Event):
    topic: ClassVar[str] = "matching.request-rejected"
    reason_code: str
    reason: str | None = None
    agent_id: str | None = None


class NotificationSent(Event):
    topic: ClassVar[str] = "notifier.notification-sent"
    notification_id: UUID
    kind: str
    about_event_id: UUID
    language: Language


class NotificationFailed(Event):
    topic: ClassVar[str] = "notifier.notification-failed"
    notification_id: UUID
    kind: str
    about_event_id: UUID
    error_class: str


CATALOGUE: tuple[type[Event], ...] = (
    RequestSubmitted,
    RequestCancelled,
    InfoProvided,
    NumberAssigned,
    ReviewOpened,
    InfoRequested,
    RequestRejected,
    NotificationSent,
    NotificationFailed,
    InfoReminded,
    RequestExpired,
)

BY_TOPIC: dict[str, type[Event]] = {event.topic: event for event in CATALOGUE}
INTAKE_EVENTS = (RequestSubmitted, RequestCancelled, InfoProvided, InfoReminded, RequestExpired)
MATCHING_EVENTS = (NumberAssigned, ReviewOpened, InfoRequested, RequestRejected)
NOTIFIER_EVENTS = (NotificationSent, NotificationFailed)
