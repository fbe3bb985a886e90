"""'Request a Belgian identification number': a draft in four steps, each saved as it is left."""

import uuid
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.i18n import LANGUAGES, current_language, gettext
from gateway.pages import forms
from gateway.pages.common import Api, Csrf, Employer, PageError, render
from gateway.pages.formats import countries
from gateway.pages.labels import STEPS, document_types, employment_kinds, labels, sexes
from gateway.pages.requests import agent_message

router = APIRouter()
STEP_NAMES = tuple(name for name, _ in STEPS)
RECENT = 5


def remember(request: Request, draft_id: str) -> None:
    """The user's recent drafts, to resume them from the start page of the wizard."""
    recent = [d for d in request.session.get("drafts", []) if d != draft_id]
    request.session["drafts"] = [draft_id, *recent][:RECENT]


def forget(request: Request, draft_id: str) -> None:
    request.session["drafts"] = [d for d in request.session.get("drafts", []) if d != draft_id]


async def load_draft(api: Api, draft_id: UUID) -> dict:
    draft = await api.json("intake", f"/drafts/{draft_id}")
    if draft["status"] != "open":
        raise PageError(409, gettext("This draft has already been sent."))
    return draft


@router.get("/requests/new", response_class=HTMLResponse)
async def start(request: Request, user: Employer, api: Api) -> HTMLResponse:
    """Start a new request or resume a recent draft."""
    drafts = []
    for draft_id in request.session.get("drafts", []):
        response = await api.call("intake", "GET", f"/drafts/{draft_id}")
        if response.status_code == 200 and response.json()["status"] == "open":
            drafts.append(response.json())
    return render(request, "wizard_start.html", drafts=drafts, steps=STEPS)


@router.post("/requests/new", dependencies=[Csrf])
async def create(request: Request, user: Employer, api: Api) -> RedirectResponse:
    response = await api.call("intake", "POST", "/drafts")
    if response.status_code != 201:
        raise PageError(response.status_code, gettext("The draft could not be created."))
    draft_id = response.json()["id"]
    remember(request, draft_id)
    return RedirectResponse(f"/drafts/{draft_id}/document", status_code=303)


def show(
    request: Request,
    draft: dict,
    step: str,
    *,
    status: int = 200,
    errors: dict | None = None,
    general: list | None = None,
    values: dict | None = None,
    upload_error: str | None = None,
) -> HTMLResponse:
    """One step of the wizard, with the stepper, the saved (or typed) values and the errors."""
    saved = forms.flatten((draft["steps"].get(step) or {}).get("data", {}))
    asked = draft.get("information_requested") or {}
    verdict = draft.get("minimum_data") or {}
    return render(
        request,
        f"wizard_{step}.html",
        status=status,
        draft=draft,
        step=step,
        steps=STEPS,
        errors=errors or {},
        general=general or [],
        values=values if values is not None else saved,
        upload_error=upload_error,
        document_types=document_types(),
        employment_kinds=employment_kinds(),
        sexes=sexes(),
        country_list=countries(current_language()),
        asked_missing=labels("missing", asked.get("missing")),
        asked_message=agent_message(asked),
        mid_missing=labels("missing", verdict.get("missing")),
        languages=LANGUAGES,
        language=current_language(),
        idempotency_key=str(uuid.uuid4()),
    )


@router.get("/drafts/{draft_id}/{step}", response_class=HTMLResponse)
async def step_page(
    request: Request, draft_id: UUID, step: str, user: Employer, api: Api
) -> HTMLResponse:
    if step not in STEP_NAMES:
        raise PageError(404, gettext("This page does not exist."))
    draft = await load_draft(api, draft_id)
    remember(request, str(draft_id))
    return show(request, draft, step)


BODIES = {
    "document": forms.document_body,
    "person": forms.person_body,
    "address": forms.address_body,
}
KNOWN = {
    "document": {"type", "issuing_country", "employment"},
    "person": set(forms.PERSON),
    "address": {f"{p}.{f}" for p in ("residence", "contact_address") for f in forms.ADDRESS}
    | {"claimed_ssin"},
}


@router.post("/drafts/{draft_id}/{step}", dependencies=[Csrf])
async def save_step(
    request: Request, draft_id: UUID, step: str, user: Employer, api: Api
) -> Response:
    """Save the step in intake; its refusals appear next to the fields, in the user's language."""
    if step not in BODIES:
        raise PageError(404, gettext("This page does not exist."))
    form = await request.form()
    if form.get("go") in STEP_NAMES and not forms.typed_anything(form):
        return RedirectResponse(
            f"/drafts/{draft_id}/{form['go']}", status_code=303
        )  # nothing to save
    response = await api.call(
        "intake", "PUT", f"/drafts/{draft_id}/{step}", json=BODIES[step](form)
    )
    if response.status_code == 422:
        errors, general = forms.problem_errors(response, known=KNOWN[step])
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return show(
            request,
            await load_draft(api, draft_id),
            step,
            status=422,
            errors=errors,
            general=general,
            values=values,
        )
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This step could not be saved."))
    target = form.get("go") if form.get("go") in STEP_NAMES else _next(step)
    return RedirectResponse(f"/drafts/{draft_id}/{target}", status_code=303)


def _next(step: str) -> str:
    return STEP_NAMES[min(STEP_NAMES.index(step) + 1, len(STEP_NAMES) - 1)]


@router.post("/drafts/{draft_id}/send/submit", dependencies=[Csrf])
async def submit(
    request: Request,
    draft_id: UUID,
    user: Employer,
    api: Api,
    idempotency_key: Annotated[str, Form(min_length=8, max_length=200)],
    notification_email: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """Send the draft (once per key, however often the button is pressed)."""
    body = {"notification_email": notification_email.strip() or None, "language": language or None}
    response = await api.call(
        "intake",
        "POST",
        f"/drafts/{draft_id}/submit",
        json=body,
        headers={"Idempotency-Key": idempotency_key},
    )
    if response.status_code in (200, 201):
        forget(request, str(draft_id))
        return RedirectResponse(f"/requests/{response.json()['id']}", status_code=303)
    if response.status_code == 409:
        raise PageError(409, gettext("This draft has already been sent."))
    errors, general = forms.problem_errors(response, known={"notification_email", "language"})
    return show(
        request,
        await load_draft(api, draft_id),
        "send",
        status=422,
        errors=errors,
        general=general,
        values=body,
    )
