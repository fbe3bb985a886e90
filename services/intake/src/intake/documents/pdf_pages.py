"""One page of a stored PDF as an image, for the inline viewers (the back office's, the wizard's).

A scanned PDF is one picture per page: the page's largest image is the scan, shown turned as the
page is (/Rotate). It is taken out with pypdf (pure Python, as the upload checks) and written
again as a JPEG with Pillow, at most MAX_SIDE pixels on its longer side: what the browser
receives is pixels we encoded, never a stream of the uploaded file. A page that draws no image
(a PDF typed, not scanned) has no picture here; its viewer links to the PDF itself.
"""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from .errors import DocumentRefused

MAX_SIDE = 2000
# Forms inside forms: a scanner's PDF has none; a bound on hostile nesting.
_MAX_DEPTH = 3


class NoSuchPage(LookupError):
    """The document has no page of that number."""


def page_image(data: bytes, number: int, *, max_pixels: int) -> bytes | None:
    """Page `number` (from 1) of the PDF as a JPEG, or None when that page holds no image."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if not 1 <= number <= len(reader.pages):
            raise NoSuchPage(number)
        page = reader.pages[number - 1]
        found = max(_images(page, [], 0), key=lambda item: item[1], default=None)
        # Declared sizes first: an image past the pixel bound is never decoded.
        if found is None or not 0 < found[1] <= max_pixels:
            return None
        path = found[0]
        picture = page.images[path].image
        rotation = int(page.get("/Rotate", 0) or 0) % 360
    except NoSuchPage:
        raise
    except Exception as exc:  # noqa: BLE001 - a page pypdf cannot read is not shown
        raise DocumentRefused("document.unreadable") from exc
    return _jpeg(picture, rotation)


def _images(obj: DictionaryObject, path: list[str], depth: int):
    """(path, declared pixel count) of every image the page's resources hold, forms included."""
    resources = obj.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or "/XObject" not in resources:
        return
    for name, ref in resources["/XObject"].get_object().items():
        xobject = ref.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        if xobject.get("/Subtype") == "/Image":
            yield [*path, name], int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
        elif xobject.get("/Subtype") == "/Form" and depth < _MAX_DEPTH:
            yield from _images(xobject, [*path, name], depth + 1)


def _jpeg(picture: Image.Image, rotation: int) -> bytes:
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if rotation:
        # /Rotate turns the page clockwise; Pillow's rotate turns counter-clockwise.
        picture = picture.rotate(-rotation, expand=True)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
