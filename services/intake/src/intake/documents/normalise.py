"""From uploaded bytes to bytes fit to store, or a refusal with a reason."""

from __future__ import annotations

import hashlib

from .errors import DocumentRefused
from .images import decode_cost, normalise_image
from .limits import Limits, PageSize, StoredDocument
from .pdfs import check_pdf, strip_metadata
from .sniff import sniff_media_type


def inspect_and_normalise(data: bytes, *, limits: Limits) -> StoredDocument:
    """Type by content, check, and re-encode images; CPU-bound, so call it in a worker thread."""
    if len(data) > limits.max_bytes:
        raise DocumentRefused("document.too_large", {"max_mb": round(limits.max_bytes / 2**20, 1)})
    media_type = sniff_media_type(data)
    if media_type == "application/pdf":
        # Not rasterised (CPU, and the scan's own resolution): only its metadata is dropped.
        page_count = check_pdf(data, max_pages=limits.max_pages)
        return _stored(strip_metadata(data), media_type, page_count, ())
    stored, size = normalise_image(data, media_type=media_type, limits=limits)
    return _stored(stored, media_type, 1, (size,))


def checking_cost(data: bytes, *, limits: Limits) -> int:
    """The memory (bytes) checking this upload will take, known from its first bytes and header:
    what counts against an employer's quota, refused at once when over the decoding budget."""
    if len(data) > limits.max_bytes:
        raise DocumentRefused("document.too_large", {"max_mb": round(limits.max_bytes / 2**20, 1)})
    media_type = sniff_media_type(data)
    if media_type == "application/pdf":
        return len(data)  # parsed, never rasterised
    return decode_cost(data, media_type=media_type, limits=limits)


def check_page_budget(pages_so_far: int, document: StoredDocument, *, limits: Limits) -> None:
    """Refuse a document that would take a request past its page limit."""
    if pages_so_far + document.page_count > limits.max_pages:
        raise DocumentRefused("document.too_many_pages", {"max_pages": limits.max_pages})


def _stored(
    data: bytes, media_type: str, page_count: int, pages: tuple[PageSize, ...]
) -> StoredDocument:
    """A stored document with the digest of exactly the bytes kept."""
    return StoredDocument(
        data=data,
        media_type=media_type,
        page_count=page_count,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )
