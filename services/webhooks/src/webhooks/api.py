"""Admin API: an employer's admins register endpoints, rotate secrets, watch and replay deliveries."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from eventing.auth import CurrentPrincipal, employer_of
from eventing.db import transaction
from eventing.http import Sessions, Transaction
from eventing.parts import Part
from eventing.problems import Problem
from webhooks import listing, repository
from webhooks.config import WebhooksSettings
from webhooks.domain import UrlRefused, check_url
from webhooks.sender import resolve
from webhooks.signing import SecretBox, new_secret
from webhooks.tables import Endpoint
from webhooks.views import (
    MAX_ENDPOINTS,
    DeliveryDetail,
    DeliveryStatus,
    DeliveryView,
    EndpointChange,
    EndpointCreated,
    EndpointIn,
    EndpointView,
    KindsView,
    Replayed,
    ReplayIn,
    SecretRotated,
    delivery_view,
    endpoint_view,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@dataclass(frozen=True)
class Services:
    box: SecretBox
    settings: WebhooksSettings


SERVICES: Part[Services] = Part("webhooks services")


def admin_of(principal: CurrentPrincipal) -> str:
    """Webhooks speak for the whole company: its admins alone manage them."""
    employer = employer_of(principal)
    if not principal.has("admin"):
        raise Problem(403, "auth.admin_role_required", "This route is for the employer's admins.")
    return employer


Deps = Annotated[Services, Depends(SERVICES)]
Admin = Annotated[str, Depends(admin_of)]


async def endpoint_or_404(tx: AsyncSession, endpoint_id: uuid.UUID, employer: str) -> Endpoint:
    endpoint = await repository.load_endpoint(tx, endpoint_id, employer_id=employer)
    if endpoint is None:  # another employer's endpoint and an unknown one look the same
        raise Problem(404, "webhooks.endpoint_not_found", "No such endpoint.")
    return endpoint


async def checked_url(url: str, settings: WebhooksSettings) -> str:
    """Refuse what may never receive a webhook, naming the field but never echoing the URL."""
    try:
        target = check_url(url, development=settings.development)
        await resolve(target.host, target.port, development=settings.development)
    except UrlRefused as exc:
        raise Problem(
            422,
            "validation.failed",
            "The request is not valid.",
            errors=[
                {"field": "url", "code": exc.code, "message": "This URL cannot receive webhooks."}
            ],
        ) from exc
    return url


@router.get("/event-kinds", response_model=KindsView)
async def event_kinds(employer: Admin) -> KindsView:
    return KindsView()


@router.get("/endpoints", response_model=list[EndpointView])
async def list_endpoints(employer: Admin, tx: Transaction) -> list[EndpointView]:
    endpoints = await repository.load_endpoints(tx, employer_id=employer)
    stats = await listing.load_stats(tx, [e.id for e in endpoints])
    return [endpoint_view(e, stats.get(e.id)) for e in endpoints]


@router.post("/endpoints", status_code=201, response_model=EndpointCreated)
async def create_endpoint(
    body: EndpointIn,
    employer: Admin,
    principal: CurrentPrincipal,
    sessions: Sessions,
    deps: Deps,
    response: Response,
) -> EndpointCreated:
    """The secret is in this answer and nowhere else: it is stored encrypted and never shown again."""
    url = await checked_url(body.url, deps.settings)
    secret = new_secret()
    async with transaction(sessions) as tx:
        if len(await repository.load_endpoints(tx, employer_id=employer)) >= MAX_ENDPOINTS:
            raise Problem(
                409, "webhooks.too_many_endpoints", "This company has the most endpoints allowed."
            )
        endpoint = Endpoint(
            id=uuid.uuid4(),
            employer_id=employer,
            url=url,
            description=body.description,
            event_kinds=list(dict.fromkeys(body.event_kinds)),
            enabled=True,
            secret=deps.box.seal(secret),
            created_by=principal.subject,
            created_at=datetime.now(UTC),
        )
        tx.add(endpoint)
    response.headers["location"] = f"/webhooks/endpoints/{endpoint.id}"
    response.headers["cache-control"] = "no-store"
    return EndpointCreated(**endpoint_view(endpoint, None).model_dump(), secret=secret)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointView)
async def show_endpoint(endpoint_id: uuid.UUID, employer: Admin, tx: Transaction) -> EndpointView:
    endpoint = await endpoint_or_404(tx, endpoint_id, employer)
    stats = await listing.load_stats(tx, [endpoint.id])
    return endpoint_view(endpoint, stats.get(endpoint.id))


@router.patch("/endpoints/{endpoint_id}", response_model=EndpointView)
async def change_endpoint(
    endpoint_id: uuid.UUID, body: EndpointChange, employer: Admin, sessions: Sessions, deps: Deps
) -> EndpointView:
    url = await checked_url(body.url, deps.settings) if body.url is not None else None
    async with transaction(sessions) as tx:
        endpoint = await endpoint_or_404(tx, endpoint_id, employer)
        if url is not None:
            endpoint.url = url
        if body.event_kinds is not None:
            endpoint.event_kinds = list(dict.fromkeys(body.event_kinds))
        if body.description is not None:
            endpoint.description = body.description
        if body.enabled is not None:
            endpoint.enabled, endpoint.disabled_reason = body.enabled, None
            await repository.wake_deliverer(tx)
        stats = await listing.load_stats(tx, [endpoint.id])
    return endpoint_view(endpoint, stats.get(endpoint.id))


@router.delete("/endpoints/{endpoint_id}", status_code=204)
async def delete_endpoint(endpoint_id: uuid.UUID, employer: Admin, tx: Transaction) -> Response:
    """Gone from the list; what it still had pending is cancelled, its history kept."""
    endpoint = await endpoint_or_404(tx, endpoint_id, employer)
    endpoint.deleted_at, endpoint.enabled = datetime.now(UTC), False
    await repository.cancel_pending(tx, endpoint.id)
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}/secret/rotate", response_model=SecretRotated)
async def rotate_secret(
    endpoint_id: uuid.UUID, employer: Admin, tx: Transaction, deps: Deps, response: Response
) -> SecretRotated:
    """A new secret, shown once; the old one keeps signing (a second signature) for the grace period."""
    secret = new_secret()
    until = datetime.now(UTC) + timedelta(seconds=deps.settings.rotation_grace_s)
    endpoint = await endpoint_or_404(tx, endpoint_id, employer)
    endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, until
    endpoint.secret = deps.box.seal(secret)
    response.headers["cache-control"] = "no-store"
    return SecretRotated(secret=secret, previous_secret_valid_until=until)


@router.get("/endpoints/{endpoint_id}/deliveries", response_model=list[DeliveryView])
async def list_deliveries(
    endpoint_id: uuid.UUID,
    employer: Admin,
    tx: Transaction,
    status: DeliveryStatus | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryView]:
    await endpoint_or_404(tx, endpoint_id, employer)
    deliveries = await listing.load_deliveries(
        tx, endpoint_id, status=status, since=since, limit=limit
    )
    return [delivery_view(d) for d in deliveries]


@router.get("/endpoints/{endpoint_id}/deliveries/{delivery_id}", response_model=DeliveryDetail)
async def show_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, employer: Admin, tx: Transaction
) -> DeliveryDetail:
    await endpoint_or_404(tx, endpoint_id, employer)
    delivery = await listing.load_delivery(tx, endpoint_id, delivery_id)
    if delivery is None:
        raise Problem(404, "webhooks.delivery_not_found", "No such delivery.")
    attempts = await listing.load_attempts(tx, delivery_id)
    return DeliveryDetail(
        **delivery_view(delivery).model_dump(), payload=delivery.payload, history=attempts
    )


@router.post(
    "/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=Replayed,
)
async def replay_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, employer: Admin, tx: Transaction
) -> Replayed:
    await endpoint_or_404(tx, endpoint_id, employer)
    count = await repository.replay(tx, endpoint_id, delivery_id=delivery_id)
    if count == 0:
        raise Problem(404, "webhooks.delivery_not_found", "No such delivery.")
    return Replayed(replayed=count)


@router.post("/endpoints/{endpoint_id}/replay", status_code=202, response_model=Replayed)
async def replay_since(
    endpoint_id: uuid.UUID, body: ReplayIn, employer: Admin, tx: Transaction
) -> Replayed:
    """Everything recorded for this endpoint since a time (or only what failed) is sent again."""
    await endpoint_or_404(tx, endpoint_id, employer)
    count = await repository.replay(tx, endpoint_id, since=body.since, only_failed=body.only_failed)
    return Replayed(replayed=count)
