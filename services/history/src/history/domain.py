"""Pure projection rules: how each event changes the summary and what the timeline says."""

from dataclasses import dataclass, field
from typing import Any

from contracts import (
    Event,
    InfoProvided,
    InfoRequested,
    NotificationFailed,
    NotificationSent,
    NumberAssigned,
    RequestCancelled,
    RequestRejected,
    RequestStatus,
    RequestSubmitted,
    ReviewOpened,
)

STATUS_OF: dict[type[Event], RequestStatus] = {
    RequestSubmitted: RequestStatus.SUBMITTED,
    InfoProvided: RequestStatus.SUBMITTED,
    NumberAssigned: RequestStatus.NUMBER_ASSIGNED,
    ReviewOpened: RequestStatus.UNDER_REVIEW,
    InfoRequested: RequestStatus.INFORMATION_REQUESTED,
    RequestRejected: RequestStatus.REJECTED,
    RequestCancelled: RequestStatus.CANCELLED,
}


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    actor: str
    details: dict[str, Any] = field(default_factory=dict)


def timeline_item(event: Event) -> TimelineItem:
    """What the timeline says about an event: a kind (message key), who acted, and parameters."""
    match event:
        case RequestSubmitted():
            return TimelineItem("submitted", event.requester_name or event.requester_id)
        case InfoProvided():
            return TimelineItem("info_provided", event.provided_by, {"version": event.request_version})
        case NumberAssigned():
            return TimelineItem("number_assigned", _decider(event.decided_by, event.agent_id),
                                {"ssin": event.ssin, "kind": event.kind})
        case ReviewOpened():
            return TimelineItem("under_review", "idpro",
                                {"reason": event.reason, "expected_delay_days": event.expected_delay_days})
        case InfoRequested():
            return TimelineItem("information_requested", _decider(event.requested_by, event.agent_id),
                                {"missing": event.missing, "message": event.message})
        case RequestRejected():
            return TimelineItem("rejected", _decider("agent" if event.agent_id else "automatic", event.agent_id),
                                {"reason_code": event.reason_code, "reason": event.reason})
        case RequestCancelled():
            return TimelineItem("cancelled", event.cancelled_by)
        case NotificationSent():
            return TimelineItem("email_sent", "idpro", {"kind": event.kind, "language": event.language})
        case NotificationFailed():
            return TimelineItem("email_failed", "idpro", {"kind": event.kind})
    raise TypeError(f"no timeline rule for {type(event).__name__}")


def _decider(decided_by: str, agent_id: str | None) -> str:
    return f"agent:{agent_id}" if decided_by == "agent" and agent_id else "idpro"


def worker_name(event: RequestSubmitted | InfoProvided) -> str:
    person = event.data.person
    return " ".join(part for part in (person.surnames, person.given_names) if part)
