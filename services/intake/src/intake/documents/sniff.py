"""Which format a byte string really is, from its first bytes only."""

from __future__ import annotations

from .errors import DocumentRefused

# Magic numbers at offset 0 only: a prefix of junk (as in HTML polyglots) is not tolerated.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def sniff_media_type(data: bytes) -> str:
    """Media type from the magic bytes; refuses anything but JPEG, PNG and PDF."""
    for magic, media_type in _SIGNATURES:
        if data.startswith(magic):
            return media_type
    raise DocumentRefused("document.unsupported_type")
