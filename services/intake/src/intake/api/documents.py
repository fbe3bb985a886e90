"""Step 1's pages: upload (checked), reorder, remove; and the owner's download of a scan."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from eventing.auth import employer_of
from eventing.db import transaction
from eventing.http import Transaction
from eventing.problems import Problem
from intake import repository
from intake.api.common import (
    Caller,
    Clock,
    Decodes,
    Employer,
    MrzReader,
    Quota,
    Sessions,
    Settings,
    document_not_found,
)
from intake.api.drafts import open_draft, pages_of, read_back
from intake.api.mrz import mrz_of_pages
from intake.api.problems import refused
from intake.api.uploads import read_upload
from intake.api.views import DraftView, PageView
from intake.documents import (
    DocumentRefused,
    Limits,
    StoredDocument,
    check_page_budget,
)
from intake.documents.pdf_pages import NoSuchPage
from intake.mrz import store as readings
from intake.tables import Document

router = APIRouter(tags=["documents"])
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


class PageOrder(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")
    pages: list[UUID] = Field(max_length=4)


@router.post("/drafts/{draft_id}/pages", status_code=201, response_model=PageView)
async def upload(
    draft_id: UUID,
    request: Request,
    principal: Caller,
    employer: Employer,
    sessions: Sessions,
    settings: Settings,
    decoder: Decodes,
    quota: Quota,
    mrz: MrzReader,
    clock: Clock,
    response: Response,
) -> PageView:
    """A JPEG, PNG or PDF as the raw body (?filename=) or as the multipart part `file`."""
    limits = settings.limits()
    async with sessions() as tx:
        # 404, 409 or a full draft before a byte of the body is read.
        await _page_budget(tx, await open_draft(tx, draft_id, principal), None, limits)
    try:
        upload = await read_upload(request, limits)
        # What decoding will cost, from the header: over budget is refused, the rest is paid
        # from the employer's quota before a pixel is decoded.
        await quota.spend(employer, decoder.cost(upload.data))
        stored = await decoder.check(upload.data)
    except DocumentRefused as refusal:
        raise refused(refusal) from None
    async with transaction(sessions) as tx:
        draft = await open_draft(tx, draft_id, principal, for_update=True)
        await _page_budget(tx, draft, stored, limits)
        document = Document(
            id=uuid4(),
            employer_id=employer,
            draft_id=draft.id,
            media_type=stored.media_type,
            page_count=stored.page_count,
            sha256=stored.sha256,
            size_bytes=len(stored.data),
            display_name=upload.display_name,
            uploaded_by=principal.subject,
        )
        await repository.save_document(tx, document, stored.data)
        readable = settings.mrz_enabled and stored.media_type in readings.READABLE
        if readable:
            readings.save_pending(tx, document.id)
        draft.pages = [*draft.pages, str(document.id)]
        await tx.flush()
        await tx.refresh(document)
    response.headers["Location"] = f"/documents/{document.id}"
    return await _with_reading(mrz, sessions, document, draft.steps, readable, settings, clock)


async def _with_reading(mrz, sessions, document, steps, readable, settings, clock) -> PageView:
    """The page, with its MRZ reading when it is done within the upload's budget."""
    view = PageView.of(document)
    if not readable:
        return view
    await mrz.wait_for(document.id, budget_s=settings.mrz_wait_s)
    async with sessions() as tx:
        read = await mrz_of_pages(tx, [document.id], steps, today=clock().date())
    return view.model_copy(update={"mrz": read.model_dump(mode="json")})


async def _page_budget(tx, draft, stored: StoredDocument | None, limits: Limits) -> None:
    """Refuse a document that would take the draft past its pages (None: one more page)."""
    pages_so_far = sum(p.page_count for p in await pages_of(tx, draft))
    incoming = stored or StoredDocument(b"", "image/jpeg", 1, "")
    try:
        check_page_budget(pages_so_far, incoming, limits=limits)
    except DocumentRefused as refusal:
        raise refused(refusal) from None


@router.put("/drafts/{draft_id}/pages", response_model=DraftView)
async def reorder(
    draft_id: UUID, body: PageOrder, principal: Caller, tx: Transaction, clock: Clock
) -> DraftView:
    """Put the pages in this order: every page of the draft, each once."""
    draft = await open_draft(tx, draft_id, principal, for_update=True)
    wanted = [str(page) for page in body.pages]
    if sorted(wanted) != sorted(draft.pages) or len(set(wanted)) != len(wanted):
        raise Problem(422, "pages.order_mismatch", "List every page of the draft exactly once.")
    draft.pages, draft.updated_at = wanted, clock()
    return await read_back(tx, draft)


@router.delete("/drafts/{draft_id}/pages/{document_id}", response_model=DraftView)
async def remove(
    draft_id: UUID, document_id: UUID, principal: Caller, tx: Transaction, clock: Clock
) -> DraftView:
    """Take a page out of the draft; a scan no request holds is deleted."""
    draft = await open_draft(tx, draft_id, principal, for_update=True)
    if str(document_id) not in draft.pages:
        raise document_not_found()
    draft.pages = [page for page in draft.pages if page != str(document_id)]
    draft.updated_at = clock()
    await repository.delete_loose_documents(tx, [document_id])
    return await read_back(tx, draft)


async def _readable(document_id: UUID, principal, sessions) -> tuple[Document, bytes]:
    """The scan and its bytes, for its employer (or an agent researching its request)."""
    async with sessions() as tx:
        if principal.roles == {"agent"}:
            document = await repository.load_document_under_research(tx, document_id)
        else:
            document = await repository.load_document(
                tx, document_id, employer_id=employer_of(principal)
            )
            # A scan no request holds yet is part of its uploader's draft, and drafts are private.
            if document is not None and document.request_id is None:
                document = document if document.uploaded_by == principal.subject else None
        if document is None:
            raise document_not_found()
        data = await repository.load_content(tx, document_id)
    if data is None:
        raise Problem(
            410, "document.purged", "This scan was deleted when its retention period ended."
        )
    return document, data


@router.get("/documents/{document_id}")
async def download(document_id: UUID, principal: Caller, sessions: Sessions) -> Response:
    """The scan, for its employer (or an agent researching its request), as an attachment the
    browser will not sniff or cache."""
    document, data = await _readable(document_id, principal, sessions)
    extension = _EXTENSIONS[document.media_type]
    return Response(
        data,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="document-{document.id}.{extension}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            "ETag": f'"{document.sha256}"',
        },
    )


@router.get("/documents/{document_id}/pages/{number}")
async def page_picture(
    document_id: UUID,
    number: Annotated[int, Path(ge=1, le=64)],
    principal: Caller,
    sessions: Sessions,
    decoder: Decodes,
) -> Response:
    """One page of a scan as an image, for a viewer: an image scan is its own page 1; a PDF's
    page is its scanned picture as a JPEG (404 `document.page_not_found` past the last page,
    422 `document.page_not_scanned` for a page that holds no picture)."""
    document, data = await _readable(document_id, principal, sessions)
    if document.media_type == "application/pdf":
        try:
            picture = await decoder.page(data, number)
        except NoSuchPage:
            picture, number = None, 0
        except DocumentRefused as refusal:
            raise refused(refusal) from None
        media_type = "image/jpeg"
    else:
        picture, media_type = (data, document.media_type) if number == 1 else (None, "")
        number = number if number == 1 else 0
    if number == 0:
        raise Problem(404, "document.page_not_found", "The document has no page of that number.")
    if picture is None:
        raise Problem(
            422, "document.page_not_scanned", "This page of the PDF holds no scanned picture."
        )
    return Response(
        picture,
        media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )
