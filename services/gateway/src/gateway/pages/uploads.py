"""Step 1's scans: upload (checked by intake at once), remove, and the thumbnails."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from gateway.i18n import gettext
from gateway.pages import forms
from gateway.pages.common import Api, Csrf, Employer, PageError
from gateway.pages.wizard import load_draft, show

router = APIRouter()
MAX_UPLOAD = 12 * 1024 * 1024  # intake has the real limit; this only bounds what we buffer


@router.post("/drafts/{draft_id}/document/pages", dependencies=[Csrf])
async def upload(request: Request, draft_id: UUID, user: Employer, api: Api) -> Response:
    """Forward the file to intake; a refused scan is explained at once, in the user's language."""
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return await _refused(request, api, draft_id, gettext("Choose a file first."))
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return await _refused(request, api, draft_id, gettext("The file is too large."))
    response = await api.call(
        "intake",
        "POST",
        f"/drafts/{draft_id}/pages",
        files={"file": (file.filename, data, file.content_type or "application/octet-stream")},
    )
    if response.status_code != 201:
        _, general = forms.problem_errors(response, known=set())
        return await _refused(request, api, draft_id, " ".join(general))
    return RedirectResponse(f"/drafts/{draft_id}/document#pages", status_code=303)


async def _refused(request: Request, api: Api, draft_id: UUID, message: str) -> HTMLResponse:
    draft = await load_draft(api, draft_id)
    return show(request, draft, "document", status=422, upload_error=message)


@router.post("/drafts/{draft_id}/document/pages/{document_id}/remove", dependencies=[Csrf])
async def remove(draft_id: UUID, document_id: UUID, user: Employer, api: Api) -> RedirectResponse:
    response = await api.call("intake", "DELETE", f"/drafts/{draft_id}/pages/{document_id}")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("The page could not be removed."))
    return RedirectResponse(f"/drafts/{draft_id}/document#pages", status_code=303)


@router.get("/documents/{document_id}")
async def scan(document_id: UUID, user: Employer, api: Api) -> Response:
    """The scan from intake, shown inline (thumbnails); never cached, never sniffed."""
    response = await api.call("intake", "GET", f"/documents/{document_id}")
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This scan is not available."))
    media_type = response.headers.get("content-type", "application/octet-stream")
    if media_type not in ("image/jpeg", "image/png", "application/pdf"):
        raise PageError(415, gettext("This scan is not available."))
    return Response(
        response.content,
        media_type=media_type,
        headers={"Content-Disposition": "inline", "Cache-Control": "private, no-store"},
    )
