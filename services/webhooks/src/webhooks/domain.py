"""Pure rules: which event is which webhook, what it carries, which URL may receive it, when to retry."""

import ipaddress
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from contracts import (
    Event,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    RequestExpired,
    RequestRejected,
    RequestStatus,
    ReviewOpened,
)
from eventing.backoff import Backoff

# The outcomes an endpoint may subscribe to, named like the request's status they lead to.
KIND_OF_EVENT: dict[type[Event], RequestStatus] = {
    NumberAssigned: RequestStatus.NUMBER_ASSIGNED,
    InfoRequested: RequestStatus.INFORMATION_REQUESTED,
    ReviewOpened: RequestStatus.UNDER_REVIEW,
    RequestRejected: RequestStatus.REJECTED,
    RequestCancelled: RequestStatus.CANCELLED,
    RequestExpired: RequestStatus.EXPIRED,
}
KINDS: tuple[str, ...] = tuple(str(kind) for kind in KIND_OF_EVENT.values())
NAMESPACE = uuid.UUID("2f0c8a5e-6d4b-4c1e-9a0f-5b7e3d2c1a90")


def delivery_id(endpoint_id: uuid.UUID, event_id: uuid.UUID) -> uuid.UUID:
    """Deterministic: a replayed event maps to the same delivery, hence the same webhook-id."""
    return uuid.uuid5(NAMESPACE, f"{endpoint_id}:{event_id}")


def kind_of(event: Event) -> str:
    return str(KIND_OF_EVENT[type(event)])


def payload(event: Event) -> dict[str, Any]:
    """The Standard Webhooks body: ids, the new status and codes, the number when assigned — no names.

    Free texts (an agent's message, a rejection's wording) stay out: they may name the worker.
    """
    kind = kind_of(event)
    data: dict[str, Any] = {
        "request_id": str(event.request_id),
        "status": kind,
        "request_version": event.request_version,
    }
    match event:
        case NumberAssigned():
            data |= {"ssin": event.ssin, "ssin_kind": event.kind}
        case InfoRequested():
            data |= {"missing": list(event.missing)}
        case RequestRejected():
            data |= {"reason_code": event.reason_code}
        case ReviewOpened():
            data |= {"expected_delay_days": event.expected_delay_days}
    return {"type": f"request.{kind}", "timestamp": event.occurred_at.isoformat(), "data": data}


@dataclass(frozen=True)
class RetrySchedule:
    """Capped exponential backoff with jitter, for days, then give up."""

    initial_s: float
    max_s: float
    horizon_s: float

    def delay(self, attempts: int, *, retry_after_s: float | None = None) -> float:
        """Seconds before attempt `attempts + 1`: the receiver's Retry-After wins, within the cap."""
        if retry_after_s is not None:
            return min(max(retry_after_s, self.initial_s), self.max_s)
        return Backoff(self.initial_s, self.max_s).delay(attempts)

    def next_attempt(
        self, *, now: datetime, attempts: int, since: datetime, retry_after_s: float | None = None
    ) -> datetime | None:
        """When to try again, or None once that would fall past the horizon (counted from `since`)."""
        at = now + timedelta(seconds=self.delay(attempts, retry_after_s=retry_after_s))
        return at if at <= since + timedelta(seconds=self.horizon_s) else None


def verdict(status_code: int) -> str:
    """2xx delivered; 410 Gone means the receiver wants no more; anything else is retried.

    Redirects are failures: following them would let a receiver point us at an address the URL
    check never saw.
    """
    if 200 <= status_code < 300:
        return "delivered"
    if status_code == 410:
        return "gone"
    return "retry"


class UrlRefused(ValueError):
    """The URL may not receive webhooks; `code` says why (never the URL itself)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int


def check_url(url: str, *, development: bool) -> Target:
    """HTTPS with a host name or a public address; http only to loopback in development."""
    if len(url) > 2000:
        raise UrlRefused("webhooks.url_too_long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused("webhooks.url_invalid") from exc
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise UrlRefused("webhooks.url_invalid")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("webhooks.url_credentials")  # they would be stored and shown in clear
    if parts.fragment:
        raise UrlRefused("webhooks.url_invalid")
    literal = ip_literal(host)
    if host == "localhost" or host.endswith(".localhost"):
        literal = ipaddress.ip_address("127.0.0.1")
    if literal is not None:
        check_address(literal, development=development)
    if parts.scheme == "http" and not (development and literal is not None and literal.is_loopback):
        raise UrlRefused("webhooks.url_not_https")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80))


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_address(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, development: bool
) -> None:
    """Only globally routable addresses: no private, loopback, link-local (cloud metadata) or CGNAT."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if development and address.is_loopback:
        return
    if not address.is_global or address.is_multicast:
        raise UrlRefused("webhooks.url_private_address")
