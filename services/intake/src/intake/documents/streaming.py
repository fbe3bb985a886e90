"""Reading an upload without ever holding more than the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

from .errors import DocumentRefused


async def read_limited(chunks: AsyncIterator[bytes], *, max_bytes: int) -> bytes:
    """Join the chunks, refusing with `document.too_large` as soon as `max_bytes` is passed."""
    buffer = bytearray()
    try:
        async for chunk in chunks:
            buffer += chunk
            if len(buffer) > max_bytes:
                # Stop here: the rest of the stream is never pulled from the client.
                raise DocumentRefused("document.too_large", {"max_mb": _megabytes(max_bytes)})
    finally:
        await _close(chunks)
    return bytes(buffer)


def _megabytes(size: int) -> float:
    """Size in MB, rounded for a message."""
    return round(size / (1024 * 1024), 1)


async def _close(chunks: AsyncIterator[bytes]) -> None:
    """Close an async generator early so it releases its connection or file."""
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        await aclose()
