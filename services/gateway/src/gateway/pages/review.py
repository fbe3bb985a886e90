"""The agents' back office: the queue, a case beside its candidates and its scans, the decision.

An agent writes two things: an internal note (the audit trail keeps it; the employer never reads
it) and, for an information request or a rejection, what the employer reads: reasons chosen from
contracts' translated codes, plus optional words of the agent's own.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from contracts import worker_name
from contracts.codes import AGENT_ACTIONS, MISSING_FIELDS, REJECT_REASONS, REVIEW_REASONS
from gateway.i18n import gettext
from gateway.pages.common import AgentUser, Api, Csrf, PageError, render, scan_from_intake
from gateway.pages.labels import choices

router = APIRouter()
# "agent_rejected" is the code of earlier events; an agent always names a real reason now.
CHOSEN_REJECT_REASONS = tuple(r for r in REJECT_REASONS if r != "agent_rejected")
# What an agent ticks: the rule's "name" and "Belgian contact address" read as the fields below.
ASKABLE = tuple(m for m in MISSING_FIELDS if m not in ("name", "belgian_contact_address"))


# What the machine-readable zone of the scan is compared on, for the case page's warning.
ZONE_CHECKED = ("surnames", "given_names", "birth_date")


def viewer_pages(documents: list[dict]) -> list[dict]:
    """Every page the viewer shows, in order: an image scan is one page, a PDF one per page
    (each as the picture intake takes out of it), with the PDF itself to open."""
    pages: list[dict] = []
    for doc in documents:
        source = f"/review/documents/{doc['document_id']}"
        if doc["media_type"].startswith("image/"):
            pages.append({"src": source, "pdf": None})
            continue
        for number in range(1, max(1, doc.get("pages") or 1) + 1):
            pages.append({"src": f"{source}/pages/{number}", "pdf": source, "of_pdf": number})
    return pages


def zone_differences(zone: dict, person: dict) -> list[dict]:
    """The name and birth date as the scan's zone prints them, where they differ from the typed."""
    if zone.get("status") != "read":
        return []
    printed = (zone.get("prefill") or {}).get("person") or {}
    return [
        {"field": name, "zone": printed.get(name), "typed": person.get(name)}
        for name in ZONE_CHECKED
        if name in (zone.get("differences") or ()) and printed.get(name)
    ]


async def read_zone(api: Api, case: dict) -> dict:
    """Intake's reading of the request's scans (an empty one when it cannot be had)."""
    if case.get("status") == "closed" or not case.get("request_id"):
        return {}
    response = await api.call("intake", "GET", f"/requests/{case['request_id']}/mrz")
    return response.json() if response.status_code == 200 else {}


def named(case: dict) -> dict:
    worker = case.get("worker") or {}
    return {**case, "name": worker_name(worker.get("surnames"), worker.get("given_names"))}


@router.get("/review", response_class=HTMLResponse)
async def queue(request: Request, user: AgentUser, api: Api, reason: str = "") -> HTMLResponse:
    """Open cases, longest waiting first, optionally of one reason."""
    reason = reason if reason in REVIEW_REASONS else ""
    cases = await api.json("matching", "/review/cases", params={"reason": reason} if reason else {})
    return render(
        request,
        "review_queue.html",
        cases=[named(c) for c in cases],
        reason=reason,
        reasons=choices("review_reason", REVIEW_REASONS),
    )


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
    zone = await read_zone(api, detail["case"])
    return render(
        request,
        "review_case.html",
        status=status,
        detail=detail,
        case=named(detail["case"]),
        error=error,
        decisions=choices("resolution", AGENT_ACTIONS),
        reject_reasons=choices("reject_reason", CHOSEN_REJECT_REASONS),
        missing_fields=choices("missing", ASKABLE),
        pages=viewer_pages(detail["request"].get("documents") or []),
        zone=zone,
        zone_differences=zone_differences(zone, detail["request"].get("person") or {}),
    )


@router.post("/review/{case_id}/claim", dependencies=[Csrf])
async def claim(case_id: UUID, user: AgentUser, api: Api) -> RedirectResponse:
    response = await api.call("matching", "POST", f"/review/cases/{case_id}/claim")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This case cannot be claimed."))
    return RedirectResponse(f"/review/{case_id}", status_code=303)


def decision_body(
    action: str, note: str, person_id: str, message: str, missing: list[str], reason_code: str
) -> dict | None:
    """What matching is told, or None when the form lacks what the action needs."""
    if action not in AGENT_ACTIONS or not note.strip():
        return None
    body: dict = {"action": action, "reason": note.strip()}
    if action == "same_person":
        if not person_id.isdigit():
            return None
        body["person_id"] = int(person_id)
    if action == "request_information":
        body["missing"] = [m for m in dict.fromkeys(missing) if m in MISSING_FIELDS]
        if not body["missing"] and not message.strip():
            return None
    if action == "reject":
        if reason_code not in CHOSEN_REJECT_REASONS:
            return None
        body["reason_code"] = reason_code
    if action in ("request_information", "reject") and message.strip():
        body["message"] = message.strip()
    return body


@router.post("/review/{case_id}/decision", dependencies=[Csrf])
async def decide(
    request: Request,
    case_id: UUID,
    user: AgentUser,
    api: Api,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    person_id: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
    missing: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies it
    reason_code: Annotated[str, Form()] = "",
) -> Response:
    """Send the decision; what is missing or refused shows on the case page."""
    body = decision_body(action, reason, person_id, message, missing, reason_code)
    if body is None:
        error = gettext(
            "Choose a decision and write the internal note; name the candidate, the reason or "
            "what the employer must add, as the decision needs."
        )
        return await case(request, case_id, user, api, status=422, error=error)
    response = await api.call("matching", "POST", f"/review/cases/{case_id}/decision", json=body)
    if response.status_code != 200:
        code = (
            response.json().get("code")
            if "json" in response.headers.get("content-type", "")
            else None
        )
        error = {
            "review.claimed_by_another": gettext("Another agent has claimed this case."),
            "review.case_closed": gettext("This case is already decided."),
        }.get(code, gettext("The decision was refused."))
        return await case(request, case_id, user, api, status=response.status_code, error=error)
    return RedirectResponse("/review?decided=1", status_code=303)


@router.get("/review/documents/{document_id}")
async def scan(document_id: UUID, user: AgentUser, api: Api) -> Response:
    """A scan of a case, if intake lets agents read it."""
    return await scan_from_intake(api, f"/documents/{document_id}")


@router.get("/review/documents/{document_id}/pages/{number}")
async def scan_page(
    document_id: UUID, number: Annotated[int, Path(ge=1, le=64)], user: AgentUser, api: Api
) -> Response:
    """One page of a case's scan as an image (a PDF's page as its scanned picture)."""
    return await scan_from_intake(api, f"/documents/{document_id}/pages/{number}")
