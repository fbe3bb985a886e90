"""Every code a service can emit that an employer or an agent reads, in one place.

Events and APIs carry these codes, never sentences: each reader shows the code's label in the
reader's language (contracts.labels), so an e-mail in German never quotes an English rule. The
sets are closed here; contracts/tests/test_labels.py checks that each code has a label in every
language, and tests/test_codes.py that what the services emit stays within these sets.
"""

from __future__ import annotations

from typing import Literal, get_args

from contracts.identification import MINIMUM_DATA_ITEMS, MinimumDataItem
from contracts.values import DocumentType, EmploymentKind, Language, RequestStatus, Sex

LANGUAGES: tuple[Language, ...] = get_args(Language)
SEXES: tuple[Sex, ...] = get_args(Sex)
DOCUMENT_TYPES: tuple[DocumentType, ...] = get_args(DocumentType)
EMPLOYMENT_KINDS: tuple[EmploymentKind, ...] = get_args(EmploymentKind)
STATUSES: tuple[str, ...] = tuple(status.value for status in RequestStatus)

# NumberAssigned.kind: which outcome it is.
NumberKind = Literal["national_register", "existing_bis", "new_bis"]
NUMBER_KINDS: tuple[NumberKind, ...] = get_args(NumberKind)

# ReviewOpened.reason: why a request went to the back office (automatic decisions).
ReviewReason = Literal[
    "ambiguous_candidates",
    "conflicting_evidence",
    "uncertain_match",
    "claimed_ssin_differs",
    "claimed_ssin_not_confirmed",
    "claimed_ssin_unknown",
    "document_doubt",
    # contracts.eligibility: a worker possibly under the legal working age.
    "under_working_age",
    # A Belgian national or resident the National Register part of the registry does not hold
    # with certainty: never a BIS number automatically.
    "national_register_not_found",
]
REVIEW_REASONS: tuple[ReviewReason, ...] = get_args(ReviewReason)

# RequestRejected.reason_code: the reasons an agent chooses from (the employer reads them).
# "agent_rejected" is the code of earlier events, which carried no chosen reason.
RejectReason = Literal[
    "job_student",
    "occasional_agriculture_worker",
    "national_register_person",
    "document_not_valid",
    "person_not_identifiable",
    "duplicate_request",
    "agent_rejected",
]
REJECT_REASONS: tuple[RejectReason, ...] = get_args(RejectReason)

# InfoRequested.missing: what the employer is asked to add or correct. The minimum-data items
# come from the automatic rule; the others are what an agent may ask for.
AgentMissing = Literal[
    "surnames",
    "given_names",
    "birth_country",
    "nationality",
    "document",
    "document_number",
    "documents",
    "residence",
    "contact_address",
]
MissingField = MinimumDataItem | AgentMissing
MISSING_FIELDS: tuple[str, ...] = (*MINIMUM_DATA_ITEMS, *get_args(AgentMissing))

# The fields of a person as the registry holds them: NumberAssigned.completed's keys and the
# rows of the back office's comparison.
PersonField = Literal[
    "surnames",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
]
PERSON_FIELDS: tuple[PersonField, ...] = get_args(PersonField)

# NotificationSent.kind / NotificationFailed.kind: which e-mail it was.
NotificationKind = Literal[
    "request_received",
    "number_assigned",
    "under_review",
    "information_requested",
    "information_received",
    "rejected",
    "cancelled",
    "information_reminder",
    "expired",
]
NOTIFICATION_KINDS: tuple[NotificationKind, ...] = get_args(NotificationKind)

# How an agent closes a review case (and how matching closes one by itself).
CaseResolution = Literal[
    "same_person", "new_person", "request_information", "reject", "superseded", "cancelled"
]
CASE_RESOLUTIONS: tuple[CaseResolution, ...] = get_args(CaseResolution)
AgentAction = Literal["same_person", "new_person", "request_information", "reject"]
AGENT_ACTIONS: tuple[AgentAction, ...] = get_args(AgentAction)

# How long an information request waits for the employer (intake's defaults, in days).
INFO_REMINDER_AFTER_DAYS = 7
INFO_EXPIRY_AFTER_DAYS = 30

# When a ReviewOpened event names no delay: the back office's service level, in calendar days
# (a week of five working days).
DEFAULT_REVIEW_DELAY_DAYS = 7
