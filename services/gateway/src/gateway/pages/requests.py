"""One request: status (polled until final), timeline, number, cancel, answer, PDF confirmation."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from contracts import format_ssin
from contracts import worker_name as display_name
from gateway import pdf
from gateway.i18n import gettext
from gateway.pages.common import Api, Csrf, Employer, PageError, format_when, render
from gateway.pages.labels import FINAL, label

router = APIRouter()


async def _timeline(api: Api, request_id: UUID) -> list[dict]:
    """history's timeline; empty while history has not caught up yet."""
    response = await api.call("history", "GET", f"/history/requests/{request_id}")
    return response.json()["timeline"] if response.status_code == 200 else []


def worker_name(data: dict) -> str:
    person = data.get("person") or {}
    return display_name(person.get("surnames"), person.get("given_names"))


def explanation(view: dict) -> str:
    """What the status means for the employer, and why."""
    outcome, status = view.get("outcome") or {}, view["status"]
    if status == "under_review":
        reason = label("review_reason_employer", outcome.get("reason"))
        return gettext(
            "Under research by our agents; you will get an e-mail. Reason: %(reason)s",
        ) % {"reason": reason or "—"}
    if status == "information_requested":
        return outcome.get("message") or gettext("We need more information.")
    if status == "rejected":
        return label("reject_reason", outcome.get("reason_code"))
    if status == "submitted":
        return gettext("We are looking for the person; this usually takes a few seconds.")
    return ""


@router.get("/requests/{request_id}", response_class=HTMLResponse)
async def show(request: Request, request_id: UUID, user: Employer, api: Api) -> HTMLResponse:
    view = await api.json("intake", f"/requests/{request_id}")
    return render(
        request,
        "request.html",
        view=view,
        timeline=await _timeline(api, request_id),
        name=worker_name(view.get("data") or {}),
        final=FINAL,
        explanation=explanation(view),
    )


@router.get("/requests/{request_id}/status")
async def status(request_id: UUID, user: Employer, api: Api) -> JSONResponse:
    """For the page's polling: the status, the number once assigned, the explanation."""
    view = await api.json("intake", f"/requests/{request_id}")
    return JSONResponse(
        {
            "status": view["status"],
            "label": label("status", view["status"]),
            "ssin": format_ssin(view.get("ssin")),
            "final": view["status"] in FINAL,
            "explanation": explanation(view),
        }
    )


@router.post("/requests/{request_id}/cancel", dependencies=[Csrf])
async def cancel(request_id: UUID, user: Employer, api: Api) -> RedirectResponse:
    response = await api.call("intake", "POST", f"/requests/{request_id}/cancel", json={})
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This request can no longer be cancelled."))
    return RedirectResponse(f"/requests/{request_id}", status_code=303)


@router.post("/requests/{request_id}/answer", dependencies=[Csrf])
async def answer(request: Request, request_id: UUID, user: Employer, api: Api) -> RedirectResponse:
    """Open (or resume) the amendment draft: the wizard, filled with the current data."""
    response = await api.call("intake", "POST", f"/requests/{request_id}/amendment")
    if response.status_code not in (200, 201):
        raise PageError(
            response.status_code, gettext("No information is requested for this request.")
        )
    return RedirectResponse(f"/drafts/{response.json()['id']}/document", status_code=303)


@router.get("/requests/{request_id}/confirmation.pdf")
async def confirmation(request_id: UUID, user: Employer, api: Api) -> Response:
    view = await api.json("intake", f"/requests/{request_id}")
    if view["status"] != "number_assigned" or not view.get("ssin"):
        raise PageError(409, gettext("No number has been assigned yet."))
    document = pdf.confirmation(
        title=gettext("Belgian identification number"),
        lines=[
            (gettext("Worker"), worker_name(view["data"])),
            (gettext("Date of birth"), (view["data"].get("person") or {}).get("birth_date") or "—"),
            (gettext("INSZ/NISS"), format_ssin(view["ssin"])),
            (gettext("Assigned on"), format_when(view["updated_at"])),
            (gettext("Employer"), user.employer_id or ""),
            (gettext("Request"), str(request_id)),
        ],
        footer=gettext("Confirmation issued by idpro."),
    )
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="inss-{view["ssin"]}.pdf"'},
    )
