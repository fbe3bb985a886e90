"""Reading an upload with a cap while it streams (a raw body, or one multipart file part), and
checking it in a worker thread, a bounded number at a time."""

from dataclasses import dataclass
from functools import partial

import anyio
from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from intake.documents import (
    DocumentRefused,
    Limits,
    StoredDocument,
    checking_cost,
    inspect_and_normalise,
    read_limited,
    safe_display_name,
)
from intake.documents.pdf_pages import page_image

# Room for the multipart boundaries and part headers around the file itself.
MULTIPART_OVERHEAD = 16 * 1024


@dataclass(frozen=True)
class Upload:
    data: bytes
    display_name: str | None


class Decoder:
    """Checks uploads in worker threads, at most `concurrency` at once in this process: each
    may hold up to `Limits.max_decoded_bytes`, so this bounds what uploads can take together."""

    def __init__(self, limits: Limits, *, concurrency: int) -> None:
        self.limits = limits
        self.slots = anyio.CapacityLimiter(concurrency)

    def cost(self, data: bytes) -> int:
        """Header only (cheap): the bytes checking `data` will hold; refuses what cannot fit."""
        return checking_cost(data, limits=self.limits)

    async def check(self, data: bytes) -> StoredDocument:
        work = partial(inspect_and_normalise, data, limits=self.limits)
        return await anyio.to_thread.run_sync(work, limiter=self.slots)

    async def page(self, data: bytes, number: int) -> bytes | None:
        """Page `number` of a stored PDF as a JPEG (None: the page holds no image), decoded in
        the same worker threads as uploads."""
        work = partial(page_image, data, number, max_pixels=self.limits.max_pixels)
        return await anyio.to_thread.run_sync(work, limiter=self.slots)


async def read_upload(request: Request, limits: Limits) -> Upload:
    """The uploaded bytes, refused as too large as soon as the stream passes the limit."""
    content_type = request.headers.get("content-type", "")
    multipart = content_type.startswith("multipart/form-data")
    budget = limits.max_bytes + (MULTIPART_OVERHEAD if multipart else 0)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget:
        raise _too_large(limits)  # said so up front: nothing is read
    body = await read_limited(request.stream(), max_bytes=budget)
    if multipart:
        data, name = _file_part(body, content_type)
    else:
        data, name = body, request.query_params.get("filename")
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    return Upload(data, safe_display_name(name) if name else None)


def _too_large(limits: Limits) -> DocumentRefused:
    return DocumentRefused("document.too_large", {"max_mb": round(limits.max_bytes / 2**20, 1)})


def _file_part(body: bytes, content_type: str) -> tuple[bytes, str | None]:
    """The part named `file` of a multipart body already read in full (and capped)."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise DocumentRefused("document.unreadable")
    parts: list[dict] = []
    header = {"field": bytearray(), "value": bytearray()}

    def header_end() -> None:
        parts[-1]["headers"][bytes(header["field"]).lower()] = bytes(header["value"])
        header["field"].clear()
        header["value"].clear()

    callbacks = {
        "on_part_begin": lambda: parts.append({"headers": {}, "data": bytearray()}),
        "on_header_field": lambda d, s, e: header["field"].extend(d[s:e]),
        "on_header_value": lambda d, s, e: header["value"].extend(d[s:e]),
        "on_header_end": header_end,
        "on_part_data": lambda d, s, e: parts[-1]["data"].extend(d[s:e]),
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise DocumentRefused("document.unreadable") from exc
    for part in parts:
        _, disposition = parse_options_header(part["headers"].get(b"content-disposition", b""))
        if disposition.get(b"name") == b"file":
            name = disposition.get(b"filename")
            return bytes(part["data"]), name.decode("utf-8", "replace") if name else None
    raise DocumentRefused("document.empty")
