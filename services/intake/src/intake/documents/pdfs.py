"""Checks on an uploaded PDF, which is stored without its metadata once they pass."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from .errors import DocumentRefused

# Keys that only exist to run code, open other files or carry files: a scan needs none of them.
_ACTIVE_KEYS = frozenset(("/JS", "/JavaScript", "/AA", "/Launch", "/RichMedia", "/XFA"))
_ACTIVE_KEYS |= {"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/SubmitForm", "/ImportData"}
_ACTION_KEYS = ("/A", "/OpenAction", "/Next")
# A "go to page" is the only action a viewer runs without leaving the document.
_SAFE_ACTIONS = frozenset({"/GoTo"})
# The raw scan also sees objects no page refers to, and HTML that a browser might sniff.
_RAW_ACTIVE_NAME = re.compile(
    rb"/(?:JS|JavaScript|AA|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)"
    rb"(?=[\s()<>\[\]{}/%]|$)"
)
_RAW_HTML = re.compile(rb"<(?:script|html|iframe)", re.IGNORECASE)
# Bounds the walk of the object graph: a scan of 4 pages has a few hundred objects.
_MAX_OBJECTS = 100_000


def check_pdf(data: bytes, *, max_pages: int) -> int:
    """Refuse encrypted, active, oversized or blank PDFs; return the page count."""
    if _RAW_ACTIVE_NAME.search(data) or _RAW_HTML.search(data):
        raise DocumentRefused("document.pdf_has_scripts")
    reader = _reader(data)
    if reader.is_encrypted:
        raise DocumentRefused("document.pdf_encrypted")
    try:
        _refuse_active_content(reader)
        page_count = len(reader.pages)
        if page_count > max_pages:
            raise DocumentRefused(
                "document.pdf_too_many_pages", {"max_pages": max_pages, "page_count": page_count}
            )
        _refuse_blank_first_page(reader, page_count)
    except DocumentRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on hostile input means unreadable
        raise DocumentRefused("document.unreadable") from exc
    return page_count


def strip_metadata(data: bytes) -> bytes:
    """The PDF rewritten without /Info nor any XMP stream: they name authors, software, and
    often the scanned person (a title like "Passport Kowalska"); earlier revisions go too."""
    reader = _reader(data)
    try:
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        for obj in _reachable(writer.root_object):
            if isinstance(obj, DictionaryObject):
                obj.pop(NameObject("/Metadata"), None)
                obj.pop(NameObject("/PieceInfo"), None)
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        buffer = io.BytesIO()
        writer.write(buffer)
    except Exception as exc:  # noqa: BLE001 - a file pypdf cannot rewrite is not kept
        raise DocumentRefused("document.unreadable") from exc
    return buffer.getvalue()


def _reachable(root: PdfObject):
    """Every dictionary and array reachable from `root`, each once."""
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _reader(data: bytes) -> PdfReader:
    """Parse the cross-reference table and trailer, leniently as viewers do."""
    try:
        return PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        raise DocumentRefused("document.unreadable") from exc


def _refuse_active_content(reader: PdfReader) -> None:
    """Walk every object reachable from the trailer, refusing scripts, actions and attachments."""
    stack: list[PdfObject] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > _MAX_OBJECTS:
                raise DocumentRefused("document.unreadable")
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            _refuse_active_dictionary(obj)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _refuse_active_dictionary(obj: DictionaryObject) -> None:
    """Refuse a dictionary holding an active key or an action other than a page jump."""
    if _ACTIVE_KEYS.intersection(obj.keys()):
        raise DocumentRefused("document.pdf_has_scripts")
    for key in _ACTION_KEYS:
        if key not in obj:
            continue
        actions = obj[key]
        # An /OpenAction array is a destination (page, fit mode), not a list of actions.
        if key == "/OpenAction" and isinstance(actions, ArrayObject):
            continue
        for action in actions if isinstance(actions, ArrayObject) else [actions]:
            action = action.get_object()
            if isinstance(action, DictionaryObject) and action.get("/S") not in _SAFE_ACTIONS:
                raise DocumentRefused("document.pdf_has_scripts")


def _refuse_blank_first_page(reader: PdfReader, page_count: int) -> None:
    """Refuse a PDF whose first page draws nothing (an empty export or a wrong file)."""
    if page_count == 0:
        raise DocumentRefused("document.empty")
    contents = reader.pages[0].get_contents()
    if contents is None or not contents.get_data().strip():
        raise DocumentRefused("document.empty")
