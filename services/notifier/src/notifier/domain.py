"""Pure rules: which event is which e-mail, and when to retry a delivery."""

import uuid
from dataclasses import dataclass
from typing import Any

from contracts import (
    Event,
    InfoProvided,
    InfoReminded,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    RequestExpired,
    RequestRejected,
    RequestSubmitted,
    ReviewOpened,
)
from contracts.codes import DEFAULT_REVIEW_DELAY_DAYS
from eventing.backoff import Backoff

NAMESPACE = uuid.UUID("6f1b7c52-0d0e-4b4e-9a53-1f4f8f0b8d11")


def notification_id(about_event_id: uuid.UUID) -> uuid.UUID:
    """Deterministic: a replayed event maps to the same notification row."""
    return uuid.uuid5(NAMESPACE, str(about_event_id))


def kind_and_context(event: Event) -> tuple[str, dict[str, Any]]:
    """The e-mail an event calls for, with the values its template needs (no recipient)."""
    match event:
        case RequestSubmitted():
            return "request_received", {}
        case NumberAssigned():
            return "number_assigned", {
                "ssin": event.ssin,
                "ssin_kind": event.kind,
                "completed": sorted(event.completed),
            }
        case ReviewOpened():
            delay = event.expected_delay_days or DEFAULT_REVIEW_DELAY_DAYS
            return "under_review", {"expected_delay_days": delay, "review_reason": event.reason}
        case InfoRequested():
            # An automatic request's message only repeats its codes, in English: the e-mail
            # lists the codes in its own language instead. An agent's message is for the employer.
            message = event.message if event.requested_by == "agent" else None
            return "information_requested", {"missing": event.missing, "message": message}
        case RequestRejected():
            # reason_code is the reason the agent chose; reason is what the agent wrote to the
            # employer (the internal note stays in matching's audit trail).
            return "rejected", {"reason_code": event.reason_code, "reason": event.reason}
        case InfoProvided():
            return "information_received", {}
        case RequestCancelled():
            return "cancelled", {}
        case InfoReminded():
            return "information_reminder", {
                "missing": event.missing,
                "deadline": event.expires_at.isoformat(),
            }
        case RequestExpired():
            return "expired", {}
    raise TypeError(f"no notification for {type(event).__name__}")


@dataclass(frozen=True)
class RetrySchedule:
    """The backoff of one message's own transient trouble (a 4xx about it): capped, never ending."""

    initial_s: float
    max_s: float

    def delay(self, attempts: int) -> float:
        """Seconds before the next try (eventing's one backoff rule)."""
        return Backoff(self.initial_s, self.max_s).delay(attempts)


def is_permanent(smtp_code: int | None) -> bool:
    """5xx replies are final; 4xx and connection trouble are worth another try."""
    return smtp_code is not None and 500 <= smtp_code < 600


def is_server_trouble(smtp_code: int | None) -> bool:
    """No reply at all (refused, timeout, hang-up) or 421 (the server closes the channel): the
    server is unavailable, not this message; every message waits for it alike."""
    return smtp_code is None or smtp_code == 421
