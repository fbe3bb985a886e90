"""Step 1: the document form and its scans (checked by intake at once), removal, the thumbnails.

The scan and the step's fields are one form: a file chosen and then "Save and continue" is sent,
never dropped. With JavaScript the file is sent as soon as it is chosen (app.js, with progress).
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from gateway.i18n import gettext
from gateway.pages import forms
from gateway.pages.common import Api, Csrf, Employer, PageError, scan_from_intake
from gateway.pages.wizard import STEP_NAMES, load_draft, show

router = APIRouter()
MAX_UPLOAD = 12 * 1024 * 1024  # intake has the real limit; this only bounds what we buffer


def _chosen(form: FormData) -> UploadFile | None:
    file = form.get("file")
    return file if isinstance(file, UploadFile) and file.filename else None


async def _send_file(api: Api, draft_id: UUID, file: UploadFile) -> str | None:
    """Forward the file to intake; None when accepted, else why it was refused (translated)."""
    data = await file.read(MAX_UPLOAD + 1)
    if not data:
        return gettext("The file is empty.")
    if len(data) > MAX_UPLOAD:
        return gettext("The file is too large.")
    response = await api.call(
        "intake",
        "POST",
        f"/drafts/{draft_id}/pages",
        files={"file": (file.filename, data, file.content_type or "application/octet-stream")},
    )
    if response.status_code == 201:
        return None
    _, general = forms.problem_errors(response, known=set())
    return " ".join(general)


@router.post("/drafts/{draft_id}/document/pages", dependencies=[Csrf])
async def document(request: Request, draft_id: UUID, user: Employer, api: Api) -> Response:
    """Send a chosen file, then save the step when asked to continue (or to go to a step)."""
    form = await request.form()
    typed = {k: v for k, v in form.items() if isinstance(v, str)}
    file = _chosen(form)
    if file is not None and (refused := await _send_file(api, draft_id, file)):
        draft = await load_draft(api, draft_id)
        return show(request, draft, "document", status=422, upload_error=refused, values=typed)
    go = form.get("go") if form.get("go") in STEP_NAMES else None
    if go and file is None and not forms.typed_anything(form):
        return RedirectResponse(f"/drafts/{draft_id}/{go}", status_code=303)  # nothing to save
    body = forms.document_body(form)
    typed_fields = [body.get("type"), body.get("issuing_country")]  # employment has a default
    if form.get("intent") == "upload" and go is None:
        if not any(typed_fields):
            return RedirectResponse(f"/drafts/{draft_id}/document#pages", status_code=303)
        if not all(typed_fields):  # half typed: keep it on the page rather than refuse it
            return show(request, await load_draft(api, draft_id), "document", values=typed)
        go = "document"
    response = await api.call("intake", "PUT", f"/drafts/{draft_id}/document", json=body)
    if response.status_code == 422:
        errors, general = forms.problem_errors(
            response, known={"type", "issuing_country", "employment"}
        )
        draft = await load_draft(api, draft_id)
        return show(
            request, draft, "document", status=422, errors=errors, general=general, values=typed
        )
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This step could not be saved."))
    target = go or "person"
    return RedirectResponse(
        f"/drafts/{draft_id}/{target}{'#pages' if target == 'document' else ''}", status_code=303
    )


@router.post("/drafts/{draft_id}/document/pages/{document_id}/remove", dependencies=[Csrf])
async def remove(draft_id: UUID, document_id: UUID, user: Employer, api: Api) -> RedirectResponse:
    response = await api.call("intake", "DELETE", f"/drafts/{draft_id}/pages/{document_id}")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("The page could not be removed."))
    return RedirectResponse(f"/drafts/{draft_id}/document#pages", status_code=303)


@router.get("/documents/{document_id}")
async def scan(document_id: UUID, user: Employer, api: Api) -> Response:
    """The scan from intake, shown inline (thumbnails); never cached, never sniffed."""
    return await scan_from_intake(api, f"/documents/{document_id}")


@router.get("/documents/{document_id}/pages/{number}")
async def scan_page(
    document_id: UUID, number: Annotated[int, Path(ge=1, le=64)], user: Employer, api: Api
) -> Response:
    """One page of a scan as an image: a PDF's thumbnail is its first page's picture."""
    return await scan_from_intake(api, f"/documents/{document_id}/pages/{number}")
