"""Webhooks for the company's admins: endpoints, the secret shown once, rotation, deliveries, replay.

Every action is a call to the webhooks service with the admin's own token: the service decides
(admin role, tenant); these pages only show its answers.
"""

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.i18n import N_, gettext
from gateway.pages.common import (
    BRUSSELS,
    Api,
    Csrf,
    PageError,
    User,
    render,
    require_employer,
)

router = APIRouter()

KINDS = {
    "number_assigned": N_("Number assigned"),
    "information_requested": N_("Information requested"),
    "under_review": N_("Under research"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
    "expired": N_("Expired"),
}
DELIVERY_STATUSES = {
    "pending": N_("Waiting"),
    "delivered": N_("Delivered"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}
URL_REFUSALS = {
    "webhooks.url_not_https": N_("The address must start with https://."),
    "webhooks.url_private_address": N_("This address is not reachable from the internet."),
    "webhooks.url_unresolvable": N_("This host name does not exist."),
    "webhooks.url_credentials": N_("Leave the user name and password out of the address."),
}


async def require_admin(user: Annotated[User, Depends(require_employer)]) -> User:
    if not user.is_admin:
        raise PageError(403, gettext("This page is for the company's administrators."))
    return user


Admin = Annotated[User, Depends(require_admin)]


def secret_page(request: Request, *, endpoint: dict, secret: str, rotated: bool) -> HTMLResponse:
    """The one time a secret is shown: never cached, never in a URL or the session."""
    page = render(request, "webhook_secret.html", endpoint=endpoint, secret=secret, rotated=rotated)
    page.headers["cache-control"] = "no-store"
    return page


def refusal(response) -> str:
    """What the service refused, in the admin's words (the URL is never repeated)."""
    errors = response.json().get("errors") or [{}]
    code = errors[0].get("code", "")
    if errors[0].get("field") == "body.event_kinds" or code == "validation.too_short":
        return gettext("Choose at least one event.")
    return gettext(URL_REFUSALS.get(code, N_("This address cannot receive webhooks.")))


@router.get("/webhooks", response_class=HTMLResponse)
async def endpoints(request: Request, user: Admin, api: Api) -> HTMLResponse:
    listed = await api.json("webhooks", "/webhooks/endpoints")
    return render(request, "webhooks.html", endpoints=listed, kinds=KINDS, error=None)


@router.post("/webhooks", dependencies=[Csrf], response_class=HTMLResponse)
async def add(request: Request, user: Admin, api: Api) -> HTMLResponse:
    form = await request.form()
    body = {
        "url": str(form.get("url") or "").strip(),
        "event_kinds": [k for k in form.getlist("event_kinds") if k in KINDS],
        "description": str(form.get("description") or "").strip() or None,
    }
    response = await api.call("webhooks", "POST", "/webhooks/endpoints", json=body)
    if response.status_code == 201:
        created = response.json()
        return secret_page(request, endpoint=created, secret=created["secret"], rotated=False)
    if response.status_code not in (409, 422):
        raise PageError(response.status_code, gettext("This action is not allowed."))
    error = (
        refusal(response)
        if response.status_code == 422
        else gettext("This company has the most endpoints allowed.")
    )
    listed = await api.json("webhooks", "/webhooks/endpoints")
    return render(request, "webhooks.html", status=422, endpoints=listed, kinds=KINDS, error=error)


@router.get("/webhooks/{endpoint_id}", response_class=HTMLResponse)
async def endpoint(request: Request, endpoint_id: UUID, user: Admin, api: Api) -> HTMLResponse:
    shown = await api.json("webhooks", f"/webhooks/endpoints/{endpoint_id}")
    deliveries = await api.json("webhooks", f"/webhooks/endpoints/{endpoint_id}/deliveries")
    return render(
        request,
        "webhook.html",
        endpoint=shown,
        deliveries=deliveries,
        kinds=KINDS,
        statuses=DELIVERY_STATUSES,
        since=(datetime.now(BRUSSELS) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    )


@router.post("/webhooks/{endpoint_id}/rotate", dependencies=[Csrf], response_class=HTMLResponse)
async def rotate(request: Request, endpoint_id: UUID, user: Admin, api: Api) -> HTMLResponse:
    path = f"/webhooks/endpoints/{endpoint_id}"
    response = await api.call("webhooks", "POST", f"{path}/secret/rotate")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This action is not allowed."))
    shown = await api.json("webhooks", path)
    return secret_page(request, endpoint=shown, secret=response.json()["secret"], rotated=True)


@router.post("/webhooks/{endpoint_id}/replay", dependencies=[Csrf])
async def replay(request: Request, endpoint_id: UUID, user: Admin, api: Api) -> Response:
    """One delivery (its id in the form) or every one since a time, sent again."""
    form = await request.form()
    path = f"/webhooks/endpoints/{endpoint_id}"
    if delivery := form.get("delivery_id"):
        response = await api.call("webhooks", "POST", f"{path}/deliveries/{delivery}/replay")
    else:
        since = _since(str(form.get("since") or ""))
        body = {"since": since, "only_failed": form.get("only_failed") == "true"}
        response = await api.call("webhooks", "POST", f"{path}/replay", json=body)
    if response.status_code != 202:
        raise PageError(response.status_code, gettext("This action is not allowed."))
    return RedirectResponse(f"/webhooks/{endpoint_id}", status_code=303)


@router.post("/webhooks/{endpoint_id}/enabled", dependencies=[Csrf])
async def enable(request: Request, endpoint_id: UUID, user: Admin, api: Api) -> Response:
    form = await request.form()
    body = {"enabled": form.get("enabled") == "true"}
    response = await api.call("webhooks", "PATCH", f"/webhooks/endpoints/{endpoint_id}", json=body)
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This action is not allowed."))
    return RedirectResponse(f"/webhooks/{endpoint_id}", status_code=303)


@router.post("/webhooks/{endpoint_id}/delete", dependencies=[Csrf])
async def delete(endpoint_id: UUID, user: Admin, api: Api) -> Response:
    response = await api.call("webhooks", "DELETE", f"/webhooks/endpoints/{endpoint_id}")
    if response.status_code != 204:
        raise PageError(response.status_code, gettext("This action is not allowed."))
    return RedirectResponse("/webhooks", status_code=303)


def _since(value: str) -> str:
    """A datetime-local field (Brussels time as the admin reads it) as an aware timestamp."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise PageError(422, gettext("Give a date and a time.")) from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=BRUSSELS)).isoformat()
