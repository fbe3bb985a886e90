"""The company-wide history: sort, filter, search, page; action required first."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gateway.pages.common import Api, Employer, render
from gateway.pages.labels import SORTS, STATUSES

router = APIRouter()
PAGE_SIZE = 20


def _scope(user, asked: str | None) -> str:
    """A requester sees his own requests; an admin may see the whole company."""
    if not user.is_admin:
        return "mine"
    return asked if asked in ("mine", "company") else "company"


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
        urgent = (
            await api.json(
                "history",
                "/history/requests",
                params=[*filters, ("action_required", "true"), ("limit", "10")],
            )
        )["items"]
    state = {"sort": sort, "order": order, "q": q, "status": status, "scope": scope}
    return render(
        request,
        "dashboard.html",
        page=page,
        counts=counts,
        urgent=urgent,
        state=state,
        sorts=SORTS,
        statuses=STATUSES,
        link=_linker(state),
    )


def _linker(state: dict):
    """Build the dashboard's links, changing some parameters and keeping the rest."""

    def link(**changes) -> str:
        merged = {**state, **changes}
        params = [(k, v) for k, v in merged.items() if k != "status" and v not in (None, "")]
        params += [("status", s) for s in merged.get("status") or []]
        return "/dashboard?" + urlencode(params)

    return link
