"""The company-wide history: sort, filter, search, page; action required first."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from contracts import worker_name as display_name
from gateway.pages.common import Api, Employer, render
from gateway.pages.labels import SORTS, STATUSES, STEPS

router = APIRouter()
PAGE_SIZE = 20


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
    q: str = "",
    cursor: str | None = None,
    scope: str | None = None,
) -> HTMLResponse:
    sort = sort if sort in SORTS else "last_change"
    order = order if order in ("asc", "desc") else "desc"
    status = [s for s in status if s in STATUSES]
    scope = _scope(user, scope)
    filters = [("mine", "true")] if scope == "mine" else []
    filters += [("q", q)] if q.strip() else []
    listed = [
        *filters,
        *[("status", s) for s in status],
        ("sort", sort),
        ("order", order),
        ("limit", str(PAGE_SIZE)),
        *([("cursor", cursor)] if cursor else []),
    ]
    page = await api.json("history", "/history/requests", params=listed)
    counts = await api.json("history", "/history/requests/counts", params=filters)
    urgent = []
    if not cursor and not status:
        # What waits for this user: a requester answers only his own requests.
        own = [] if user.is_admin else [("mine", "true")]
        urgent = (
            await api.json(
                "history",
                "/history/requests",
                params=[*own, *[f for f in filters if f[0] != "mine"]]
                + [("action_required", "true"), ("limit", "10")],
            )
        )["items"]
    state = {"sort": sort, "order": order, "q": q, "status": status, "scope": scope}
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
        params = [(k, v) for k, v in merged.items() if k != "status" and v not in (None, "")]
        params += [("status", s) for s in merged.get("status") or []]
        return "/dashboard?" + urlencode(params)

    return link
