"""One request: its outcome in plain words (polled until final), timeline, cancel, answer, PDF."""

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from contracts import format_ssin
from contracts import worker_name as display_name
from contracts.codes import DEFAULT_REVIEW_DELAY_DAYS
from gateway import pdf
from gateway.i18n import current_language, gettext, ngettext
from gateway.pages.common import Api, Csrf, Employer, PageError, render
from gateway.pages.formats import colon, format_day, format_when
from gateway.pages.labels import FINAL, label, labels

router = APIRouter()
# Before intake kept who asked, an automatic information request said this, in English.
_AUTOMATIC_MESSAGE = "We need more data to identify the worker"


async def _timeline(api: Api, request_id: UUID) -> list[dict]:
    """history's timeline; empty while history has not caught up yet."""
    response = await api.call("history", "GET", f"/history/requests/{request_id}")
    return response.json()["timeline"] if response.status_code == 200 else []


def worker_name(data: dict) -> str:
    person = data.get("person") or {}
    return display_name(person.get("surnames"), person.get("given_names"))


def agent_message(outcome: dict) -> str:
    """What an agent wrote to the employer; an automatic request's own text is never shown."""
    message = (outcome.get("message") or "").strip()
    automatic = outcome.get("requested_by") == "automatic" or message.startswith(_AUTOMATIC_MESSAGE)
    return "" if automatic else message


def outcome_view(view: dict) -> dict:
    """The outcome in words an employer can act on: what it is, why, and what happens next."""
    outcome, status = view.get("outcome") or {}, view["status"]
    said: dict = {"status": status, "label": label("status", status)}
    if status == "number_assigned":
        completed = outcome.get("completed") or {}
        said["kind"] = label("number_kind", view.get("ssin_kind") or outcome.get("kind"))
        said["completed"] = [(label("field", name), value) for name, value in completed.items()]
    elif status == "under_review":
        days = outcome.get("expected_delay_days") or DEFAULT_REVIEW_DELAY_DAYS
        said["why"] = label("review_reason_employer", outcome.get("reason"))
        said["delay"] = ngettext(
            "We expect to answer within %(num)s day.",
            "We expect to answer within %(num)s days.",
            days,
        ) % {"num": days}
    elif status == "information_requested":
        said["missing"] = labels("missing", outcome.get("missing"))
        said["message"] = agent_message(outcome)
        said["deadline"] = format_day(view.get("information_deadline"))
    elif status == "rejected":
        said["why"] = label("reject_reason", outcome.get("reason_code"))
        said["message"] = (outcome.get("reason") or "").strip()
    elif status == "cancelled":
        said["by"] = outcome.get("by")
    elif status == "expired":
        said["asked_on"] = format_day(outcome.get("requested_at"))
    return said


def explanation(view: dict) -> str:
    """One sentence for the page's live region (and its polling)."""
    said = outcome_view(view)
    if said["status"] == "submitted":
        return gettext("We are looking for the person; this usually takes a few seconds.")
    if said["status"] == "under_review":
        return f"{gettext('Under research by our agents.')} {said['why']} {said['delay']}"
    if said["status"] == "information_requested":
        return gettext("We need more information: %(missing)s.") % {
            "missing": ", ".join(said["missing"]) or "—"
        }
    if said["status"] == "rejected":
        return said["why"]
    if said["status"] == "expired":
        return gettext("This request expired: the information asked for did not arrive in time.")
    return said.get("kind", "")


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
        said=outcome_view(view),
        explanation=explanation(view),
    )


@router.get("/requests/{request_id}/status")
async def status(
    request_id: UUID,
    user: Employer,
    api: Api,
    wait: Annotated[float | None, Query(ge=0, le=25)] = None,
    seen: Annotated[str | None, Query(alias="status", max_length=40)] = None,
) -> JSONResponse:
    """For the page: the status, the number once assigned, the explanation. With `wait`, a long
    poll: intake answers as soon as the status differs from `status` (what the page shows)."""
    params = {"wait": wait, "status": seen} if wait else {}
    view = await api.json("intake", f"/requests/{request_id}", params=params)
    return JSONResponse(
        {
            "status": view["status"],
            "label": label("status", view["status"]),
            "ssin": format_ssin(view.get("ssin")),
            "number_label": colon(gettext("INSZ/NISS")),
            "final": view["status"] in FINAL,
            "explanation": explanation(view),
        }
    )


@router.get("/requests/{request_id}/cancel", response_class=HTMLResponse)
async def confirm_cancel(
    request: Request, request_id: UUID, user: Employer, api: Api
) -> HTMLResponse:
    """Cancelling is final: the employer confirms it on a page of its own."""
    view = await api.json("intake", f"/requests/{request_id}")
    if not user.may_write(view):
        raise PageError(
            403,
            gettext(
                "Only the requester and your company's administrators can cancel this request."
            ),
        )
    if view["status"] in FINAL:
        raise PageError(409, gettext("This request can no longer be cancelled."))
    return render(
        request, "request_cancel.html", view=view, name=worker_name(view.get("data") or {})
    )


@router.post("/requests/{request_id}/cancel", dependencies=[Csrf])
async def cancel(request_id: UUID, user: Employer, api: Api) -> RedirectResponse:
    response = await api.call("intake", "POST", f"/requests/{request_id}/cancel", json={})
    if response.status_code == 403:
        raise PageError(
            403,
            gettext(
                "Only the requester and your company's administrators can cancel this request."
            ),
        )
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
    person = (view.get("data") or {}).get("person") or {}
    document = pdf.Confirmation(
        title=gettext("Belgian identification number"),
        outcome=label("number_kind", view.get("ssin_kind")),
        number_label=gettext("INSZ/NISS"),
        number=format_ssin(view["ssin"]),
        lines=[
            (colon(gettext("Worker")), worker_name(view["data"])),
            (colon(gettext("Date of birth")), person.get("birth_date") or "—"),
            (colon(gettext("Employer")), user.employer_id or ""),
            (colon(gettext("Assigned on")), format_day(view["updated_at"])),
            (colon(gettext("Request")), str(request_id)),
        ],
        reference_label=colon(gettext("Verification reference")),
        reference=pdf.verification_reference(str(request_id), view["ssin"], user.employer_id or ""),
        footer=gettext(
            "Confirmation issued by idpro on %(when)s. The employer can check it on the request's page."
        )
        % {"when": format_when(view["updated_at"])},
    )
    body = await asyncio.to_thread(pdf.render, document, language=current_language())
    return Response(
        body,
        media_type="application/pdf",
        headers={
            # The name is kept in download folders and sync logs: the request's id, not the number.
            "Content-Disposition": f'attachment; filename="idpro-confirmation-{request_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
