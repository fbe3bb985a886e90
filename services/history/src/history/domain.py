"""Pure projection rules: how each event changes the summary and what the timeline says."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from contracts import (
    Event,
    InfoProvided,
    InfoReminded,
    InfoRequested,
    NotificationFailed,
    NotificationSent,
    NumberAssigned,
    RequestCancelled,
    RequestExpired,
    RequestRejected,
    RequestStatus,
    RequestSubmitted,
    ReviewOpened,
    sort_name,
    supersedes,
)
from contracts import worker_name as display_name
from contracts.names import fold  # the fold matching applies to names: one table for both

STATUS_OF: dict[type[Event], RequestStatus] = {
    RequestSubmitted: RequestStatus.SUBMITTED,
    InfoProvided: RequestStatus.SUBMITTED,
    NumberAssigned: RequestStatus.NUMBER_ASSIGNED,
    ReviewOpened: RequestStatus.UNDER_REVIEW,
    InfoRequested: RequestStatus.INFORMATION_REQUESTED,
    RequestRejected: RequestStatus.REJECTED,
    RequestCancelled: RequestStatus.CANCELLED,
    RequestExpired: RequestStatus.EXPIRED,
}
# A stub created by an e-mail event has seen no change of the request yet.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Summary:
    """What the list shows of one request, as plain data."""

    worker_name: str | None = None
    # The list sorts by surname first, whatever order the name is shown in.
    worker_name_key: str = ""
    requester_id: str | None = None
    requester_name: str | None = None
    submitted_at: datetime | None = None
    status: RequestStatus | None = None
    status_version: int = 0
    data_version: int = 0
    ssin: str | None = None
    last_change_at: datetime = NEVER

    @property
    def action_required(self) -> bool:
        return self.status == RequestStatus.INFORMATION_REQUESTED


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    actor: str
    details: dict[str, Any] = field(default_factory=dict)


def apply(summary: Summary, event: Event) -> Summary:
    """The summary after `event`, whatever order events arrive in and however often."""
    summary = _apply_status(summary, event)
    if isinstance(event, RequestSubmitted):
        summary = replace(
            summary,
            requester_id=event.requester_id,
            requester_name=event.requester_name,
            submitted_at=event.occurred_at,
        )
    if (
        isinstance(event, RequestSubmitted | InfoProvided)
        and event.request_version >= summary.data_version
    ):
        person = event.data.person
        summary = replace(
            summary,
            worker_name=worker_name(event),
            worker_name_key=fold(sort_name(person.surnames, person.given_names)),
            data_version=event.request_version,
        )
    if changes_request(event):
        summary = replace(summary, last_change_at=max(summary.last_change_at, event.occurred_at))
    return summary


def _apply_status(summary: Summary, event: Event) -> Summary:
    status = STATUS_OF.get(type(event))
    if status is None or not supersedes(
        status,
        event.request_version,
        current=summary.status,
        current_version=summary.status_version,
    ):
        return summary
    ssin = event.ssin if isinstance(event, NumberAssigned) else summary.ssin
    return replace(summary, status=status, status_version=event.request_version, ssin=ssin)


def changes_request(event: Event) -> bool:
    """E-mails and reminders land on the timeline but are not a change of the request itself."""
    return not isinstance(event, NotificationSent | NotificationFailed | InfoReminded)


def timeline_item(event: Event) -> TimelineItem:
    """What the timeline says about an event: a kind (message key), who acted, and parameters."""
    match event:
        case RequestSubmitted() if event.mandatary_id:
            who = event.requester_name or event.requester_id
            return TimelineItem("submitted_by_mandatary", who, {"mandatary": event.mandatary_id})
        case RequestSubmitted():
            return TimelineItem("submitted", event.requester_name or event.requester_id)
        case InfoProvided():
            return TimelineItem(
                "info_provided",
                event.provided_by_name or event.provided_by,
                {"version": event.request_version},
            )
        case NumberAssigned():
            return TimelineItem(
                "number_assigned",
                _decider(event.decided_by, event.agent_id),
                {"ssin": event.ssin, "kind": event.kind},
            )
        case ReviewOpened():
            return TimelineItem(
                "under_review",
                "idpro",
                {"reason": event.reason, "expected_delay_days": event.expected_delay_days},
            )
        case InfoRequested():
            return TimelineItem(
                "information_requested",
                _decider(event.requested_by, event.agent_id),
                {"missing": event.missing, "message": event.message},
            )
        case RequestRejected():
            by = "agent" if event.agent_id else "automatic"
            return TimelineItem(
                "rejected",
                _decider(by, event.agent_id),
                {"reason_code": event.reason_code, "reason": event.reason},
            )
        case RequestCancelled():
            who = event.cancelled_by_name or event.cancelled_by
            return TimelineItem("cancelled", who, {"reason": event.reason})
        case InfoReminded():
            return TimelineItem(
                "info_reminded",
                "idpro",
                {"missing": event.missing, "expires_at": event.expires_at.isoformat()},
            )
        case RequestExpired():
            return TimelineItem("expired", "idpro", {"after_days": event.after_days})
        case NotificationSent():
            return TimelineItem(
                "email_sent", "idpro", {"kind": event.kind, "language": event.language}
            )
        case NotificationFailed():
            return TimelineItem("email_failed", "idpro", {"kind": event.kind})
    raise TypeError(f"no timeline rule for {type(event).__name__}")


def _decider(decided_by: str, agent_id: str | None) -> str:
    return f"agent:{agent_id}" if decided_by == "agent" and agent_id else "idpro"


def worker_name(event: RequestSubmitted | InfoProvided) -> str:
    person = event.data.person
    return display_name(person.surnames, person.given_names)


def name_query(search: str) -> str | None:
    """A tsquery in which every typed word is a prefix of some word of the name; None if empty."""
    words = fold(search).split()
    return " & ".join(f"{word}:*" for word in words) or None
