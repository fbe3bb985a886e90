"""The agents' back office: the queue, a case beside its candidates, the decision with a reason."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.i18n import gettext
from gateway.pages.common import AgentUser, Api, Csrf, PageError, render
from gateway.pages.labels import AGENT_ACTIONS, choices

router = APIRouter()


@router.get("/review", response_class=HTMLResponse)
async def queue(request: Request, user: AgentUser, api: Api) -> HTMLResponse:
    cases = await api.json("matching", "/review/cases")
    return render(request, "review_queue.html", cases=cases)


@router.get("/review/{case_id}", response_class=HTMLResponse)
async def case(
    request: Request,
    case_id: UUID,
    user: AgentUser,
    api: Api,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    detail = await api.json("matching", f"/review/cases/{case_id}")
    return render(
        request,
        "review_case.html",
        status=status,
        detail=detail,
        error=error,
        decisions=choices("resolution", AGENT_ACTIONS),
    )


@router.post("/review/{case_id}/claim", dependencies=[Csrf])
async def claim(case_id: UUID, user: AgentUser, api: Api) -> RedirectResponse:
    response = await api.call("matching", "POST", f"/review/cases/{case_id}/claim")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This case cannot be claimed."))
    return RedirectResponse(f"/review/{case_id}", status_code=303)


@router.post("/review/{case_id}/decision", dependencies=[Csrf])
async def decide(
    request: Request,
    case_id: UUID,
    user: AgentUser,
    api: Api,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    person_id: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
    missing: Annotated[str, Form()] = "",
) -> Response:
    """Send the decision; a refusal shows on the case page."""
    if action not in AGENT_ACTIONS or not reason.strip():
        return await case(
            request,
            case_id,
            user,
            api,
            status=422,
            error=gettext("Choose a decision and give its reason."),
        )
    body = {
        "action": action,
        "reason": reason.strip(),
        "person_id": int(person_id) if action == "same_person" and person_id.isdigit() else None,
        "message": message.strip() or None,
        "missing": [m.strip() for m in missing.split(",") if m.strip()],
    }
    response = await api.call("matching", "POST", f"/review/cases/{case_id}/decision", json=body)
    if response.status_code != 200:
        problem = (
            response.json() if response.headers.get("content-type", "").endswith("json") else {}
        )
        return await case(
            request,
            case_id,
            user,
            api,
            status=response.status_code,
            error=problem.get("title") or gettext("The decision was refused."),
        )
    return RedirectResponse("/review?decided=1", status_code=303)


@router.get("/review/documents/{document_id}")
async def scan(document_id: UUID, user: AgentUser, api: Api) -> Response:
    """A scan of a case, if intake lets agents read it."""
    response = await api.call("intake", "GET", f"/documents/{document_id}")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This scan is not available."))
    return Response(
        response.content,
        media_type=response.headers["content-type"],
        headers={"Content-Disposition": "inline", "Cache-Control": "private, no-store"},
    )
