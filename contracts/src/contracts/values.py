"""Value types that several events share. Personal data lives here: models hide input in errors."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Language = Literal["fr", "nl", "de", "en"]
Sex = Literal["male", "female", "unknown"]
DocumentType = Literal["passport", "identity_card", "driving_licence"]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# A birth date as printed on the document: year, year-month or full date (ISO 8601 reduced precision).
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Ssin = Annotated[str, StringConstraints(pattern=r"^\d{11}$")]
# The kind of employment the number is for: the form asks it first (contracts.eligibility).
EmploymentKind = Literal["employee", "job_student", "occasional_agriculture"]


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="forbid")


class Address(Value):
    street: str | None = None
    number: str | None = None
    box: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: CountryCode


class IdentityDocument(Value):
    type: DocumentType
    number: str | None = None
    issuing_country: CountryCode | None = None
    expiry_date: date | None = None


class Person(Value):
    """The worker's data as written on the identity document."""

    surnames: str
    given_names: str | None = None
    sex: Sex = "unknown"
    birth_date: PartialDate | None = None
    birth_place: str | None = None
    birth_country: CountryCode | None = None
    nationality: CountryCode | None = None
    document: IdentityDocument | None = None


class DocumentRef(Value):
    """A claim check: the scan stays in intake; events carry its id and hash only."""

    document_id: UUID
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    media_type: Literal["image/jpeg", "image/png", "application/pdf"]
    pages: int = Field(ge=1, le=4)


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFORMATION_REQUESTED = "information_requested"
    NUMBER_ASSIGNED = "number_assigned"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # An information request left unanswered past its deadline (intake.request-expired).
    EXPIRED = "expired"


FINAL_STATUSES = frozenset(
    {
        RequestStatus.NUMBER_ASSIGNED,
        RequestStatus.REJECTED,
        RequestStatus.CANCELLED,
        RequestStatus.EXPIRED,
    }
)

# Within one version of a request, a status may only move to a higher rank; a final status never
# moves. A later version (InfoProvided) restarts at SUBMITTED. This is the shared rule that keeps
# every consumer order-tolerant: intake, history and the notifier apply it identically.
_RANK = {
    RequestStatus.SUBMITTED: 0,
    RequestStatus.UNDER_REVIEW: 1,
    RequestStatus.INFORMATION_REQUESTED: 2,
    RequestStatus.NUMBER_ASSIGNED: 3,
    RequestStatus.REJECTED: 3,
    RequestStatus.EXPIRED: 3,
    RequestStatus.CANCELLED: 4,
}


def supersedes(
    new: RequestStatus, new_version: int, *, current: RequestStatus | None, current_version: int
) -> bool:
    """True when (new, new_version) is a newer state than (current, current_version)."""
    if current is None:
        return True
    if current in FINAL_STATUSES:
        return False
    if new == RequestStatus.CANCELLED:
        return True
    if new_version != current_version:
        return new_version > current_version
    return _RANK[new] > _RANK[current]
