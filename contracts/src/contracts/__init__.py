"""idpro's shared event contracts."""

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
    "BY_TOPIC", "CATALOGUE", "FINAL_STATUSES", "INTAKE_EVENTS", "MATCHING_EVENTS", "NOTIFIER_EVENTS",
    "Address", "DocumentRef", "Event", "IdentityDocument", "InfoProvided", "InfoRequested",
    "Language", "NotificationFailed", "NotificationSent", "NumberAssigned", "Person",
    "RequestCancelled", "RequestData", "RequestRejected", "RequestStatus", "RequestSubmitted",
    "ReviewOpened", "Sex", "supersedes",
]
