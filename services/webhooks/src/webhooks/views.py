"""What the admin API reads and answers: bounded inputs, no secret except right after it is made."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.bounds import Line
from webhooks.domain import KINDS
from webhooks.listing import EndpointStats
from webhooks.tables import Delivery, Endpoint

MAX_ENDPOINTS = 20
Kind = Literal[KINDS]  # type: ignore[valid-type]  # one source: the domain's kinds
DeliveryStatus = Literal["pending", "delivered", "failed", "cancelled"]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class EndpointIn(Input):
    url: Line = Field(min_length=1, max_length=2000)
    event_kinds: list[Kind] = Field(min_length=1, max_length=len(KINDS))
    description: Line | None = Field(default=None, max_length=200)


class EndpointChange(Input):
    url: Line | None = Field(default=None, min_length=1, max_length=2000)
    event_kinds: list[Kind] | None = Field(default=None, min_length=1, max_length=len(KINDS))
    description: Line | None = Field(default=None, max_length=200)
    enabled: bool | None = None


class ReplayIn(Input):
    since: datetime
    only_failed: bool = False


class Stats(BaseModel):
    pending: int = 0
    delivered: int = 0
    failed: int = 0
    next_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None


class EndpointView(BaseModel):
    id: UUID
    url: str
    description: str | None
    event_kinds: list[str]
    enabled: bool
    disabled_reason: str | None
    consecutive_failures: int = Field(description="Failed attempts since the last success.")
    next_probe_at: datetime | None = Field(
        description="While failing: nothing is sent to it before then (its own backoff)."
    )
    created_at: datetime
    previous_secret_valid_until: datetime | None
    deliveries: Stats


class EndpointCreated(EndpointView):
    secret: str = Field(description="Shown this once: keep it to verify the signatures.")


class SecretRotated(BaseModel):
    secret: str = Field(description="Shown this once.")
    previous_secret_valid_until: datetime


class KindsView(BaseModel):
    kinds: list[str] = Field(default_factory=lambda: list(KINDS))


class DeliveryView(BaseModel):
    id: UUID = Field(description="The webhook-id header: the same on every attempt and replay.")
    event_type: str
    request_id: UUID
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


class Attempt(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempted_at: datetime
    outcome: str
    status_code: int | None
    error_class: str | None
    duration_ms: int


class DeliveryDetail(DeliveryView):
    payload: dict
    history: list[Attempt]


class Replayed(BaseModel):
    replayed: int


def endpoint_view(endpoint: Endpoint, stats: EndpointStats | None) -> EndpointView:
    in_grace = endpoint.previous_secret_expires_at if endpoint.previous_secret else None
    return EndpointView(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        event_kinds=list(endpoint.event_kinds),
        enabled=endpoint.enabled,
        disabled_reason=endpoint.disabled_reason,
        consecutive_failures=endpoint.consecutive_failures or 0,
        next_probe_at=endpoint.next_probe_at,
        created_at=endpoint.created_at,
        previous_secret_valid_until=in_grace,
        deliveries=Stats(**vars(stats)) if stats else Stats(),
    )


def delivery_view(delivery: Delivery) -> DeliveryView:
    return DeliveryView(
        id=delivery.id,
        event_type=delivery.event_type,
        request_id=delivery.request_id,
        status=delivery.status,
        attempts=delivery.attempts,
        created_at=delivery.created_at,
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        last_attempt_at=delivery.last_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        delivered_at=delivery.delivered_at,
    )
