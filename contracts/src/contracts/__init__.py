"""idpro's shared event contracts, and the pure rules and codes more than one service applies."""

from contracts import eligibility
from contracts.codes import LANGUAGES
from contracts.dates import PartialDate, parse_birth_date
from contracts.events import (
    BY_TOPIC,
    CATALOGUE,
    INTAKE_EVENTS,
    MATCHING_EVENTS,
    NOTIFIER_EVENTS,
    Event,
    InfoProvided,
    InfoRequested,
    NotificationFailed,
    NotificationSent,
    NumberAssigned,
    RequestCancelled,
    RequestData,
    RequestRejected,
    RequestSubmitted,
    ReviewOpened,
)
from contracts.identification import MinimumData, facts_of, is_minimum_data_met, minimum_data
from contracts.labels import label, labels
from contracts.people import format_ssin, sort_name, worker_name
from contracts.values import (
    FINAL_STATUSES,
    Address,
    DocumentRef,
    IdentityDocument,
    Language,
    Person,
    RequestStatus,
    Sex,
    supersedes,
)

__all__ = [
    "eligibility",
    "BY_TOPIC",
    "CATALOGUE",
    "FINAL_STATUSES",
    "INTAKE_EVENTS",
    "LANGUAGES",
    "MATCHING_EVENTS",
    "NOTIFIER_EVENTS",
    "Address",
    "DocumentRef",
    "Event",
    "IdentityDocument",
    "InfoProvided",
    "InfoRequested",
    "Language",
    "MinimumData",
    "NotificationFailed",
    "NotificationSent",
    "NumberAssigned",
    "PartialDate",
    "Person",
    "RequestCancelled",
    "RequestData",
    "RequestRejected",
    "RequestStatus",
    "RequestSubmitted",
    "ReviewOpened",
    "Sex",
    "facts_of",
    "format_ssin",
    "is_minimum_data_met",
    "label",
    "labels",
    "minimum_data",
    "parse_birth_date",
    "sort_name",
    "supersedes",
    "worker_name",
]
