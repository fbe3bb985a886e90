"""The company-wide history: sort, filter, search, page; action required first."""

import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from contracts import worker_name as display_name
from gateway.i18n import gettext
from gateway.pages.common import Api, Csrf, Employer, PageError, render
from gateway.pages.labels import SORTS, STATUSES, STEPS

router = APIRouter()
PAGE_SIZE = 20
# A name typed in the search never enters a URL (browser history, access logs, Referer): the
# form is POSTed, the words stay in the server-side session, the URL carries a random handle.
SEARCHES = "searches"
KEPT_SEARCHES = 10


@router.post("/dashboard/search", dependencies=[Csrf])
async def search(request: Request, user: Employer) -> RedirectResponse:
    """Keep the typed words under a new handle and show the dashboard with them."""
    form = await request.form()
    words = str(form.get("q") or "").strip()[:200]
    params = [(k, str(form.get(k))) for k in ("scope", "sort", "order") if form.get(k)]
    params += [("status", str(s)) for s in form.getlist("status")]
    if words:
        handle = secrets.token_urlsafe(9)
        kept = dict(list((request.session.get(SEARCHES) or {}).items())[-(KEPT_SEARCHES - 1) :])
        request.session[SEARCHES] = {**kept, handle: words}
        params.append(("search", handle))
    return RedirectResponse("/dashboard?" + urlencode(params), status_code=303)


def _searched(request: Request, handle: str | None) -> str:
    return (request.session.get(SEARCHES) or {}).get(handle or "", "") if handle else ""


def _scope(user, asked: str | None) -> str:
    """Every user may read the whole company's history (contracts.access); each starts with
    what is his to act on: a requester his own requests, an admin the company's."""
    if asked in ("mine", "company"):
        return asked
    return "company" if user.is_admin else "mine"


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    user: Employer,
    api: Api,
    status: Annotated[list[str], Query()] = [],  # noqa: B006
    sort: str = "last_change",
    order: str = "desc",
    search: str | None = None,
    cursor: str | None = None,
    scope: str | None = None,
) -> HTMLResponse:
    sort = sort if sort in SORTS else "last_change"
    order = order if order in ("asc", "desc") else "desc"
    status = [s for s in status if s in STATUSES]
    scope = _scope(user, scope)
    q = _searched(request, search)
    filters = {"mine": scope == "mine", **({"q": q} if q else {})}
    listed = {**filters, "status": status, "sort": sort, "order": order, "limit": PAGE_SIZE}
    page = await _history(api, "/history/requests/search", {**listed, "cursor": cursor})
    counts = await _history(api, "/history/requests/counts", filters)
    urgent = []
    if not cursor and not status:
        # What waits for this user: a requester answers only his own requests.
        waiting = {**filters, "mine": not user.is_admin, "action_required": True, "limit": 10}
        urgent = (await _history(api, "/history/requests/search", waiting))["items"]
    state = {
        "sort": sort,
        "order": order,
        "q": q,
        "search": search if q else None,
        "status": status,
        "scope": scope,
    }
    # The count beside the list is the count of what the list shows, filters applied.
    shown = sum(counts["counts"].get(s, 0) for s in status) if status else counts["total"]
    return render(
        request,
        "dashboard.html",
        page=page,
        counts=counts,
        shown=shown,
        drafts=await _drafts(api) if not cursor else [],
        urgent=urgent,
        state=state,
        sorts=SORTS,
        statuses=STATUSES,
        steps=dict(STEPS),
        link=_linker(state),
    )


async def _history(api: Api, path: str, body: dict) -> dict:
    """history's list or counts, the filters in a POST body (never in a URL that is logged)."""
    response = await api.call("history", "POST", path, json=body)
    if response.status_code >= 400:
        raise PageError(response.status_code, gettext("This action is not allowed."))
    return response.json()


async def _drafts(api: Api) -> list[dict]:
    """The user's drafts not sent yet, to continue where each stopped (empty if intake fails)."""
    response = await api.call("intake", "GET", "/drafts")
    if response.status_code != 200:
        return []
    return [
        {**d, "name": display_name(d.get("surnames"), d.get("given_names"))}
        for d in response.json()
    ]


def _linker(state: dict):
    """Build the dashboard's links, changing some parameters and keeping the rest."""

    def link(**changes) -> str:
        merged = {**state, **changes}
        params = [
            (k, v) for k, v in merged.items() if k not in ("status", "q") and v not in (None, "")
        ]
        params += [("status", s) for s in merged.get("status") or []]
        return "/dashboard?" + urlencode(params)

    return link
