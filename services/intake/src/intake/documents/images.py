"""Decoding an uploaded image safely and keeping nothing of it but its pixels."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DocumentRefused
from .limits import Limits, PageSize
from .quality import check_quality

# Second line of defence behind our own size check: Pillow warns above this and refuses above
# twice this, instead of its default ~89 MP, for any code path that would skip `_check_pixels`.
Image.MAX_IMAGE_PIXELS = Limits().max_pixels

_PILLOW_FORMATS = {"image/jpeg": ["JPEG"], "image/png": ["PNG"]}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    # Quality 90 keeps small MRZ characters crisp at about a third of the size of quality 100.
    "image/jpeg": {"format": "JPEG", "quality": 90},
    "image/png": {"format": "PNG", "compress_level": 6},
}
# What a hostile or broken image can make Pillow raise while decoding.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
_SIXTEEN_BIT = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}


def normalise_image(data: bytes, *, media_type: str, limits: Limits) -> tuple[bytes, PageSize]:
    """Decode fully, check size and quality, and re-encode the pixels alone."""
    with _opened(data, media_type, limits.max_pixels) as image:
        _check_pixels(image.size, limits.max_pixels)
        try:
            image.load()
            pixels = _clean_pixels(image)
        except _DECODE_ERRORS as exc:
            raise DocumentRefused("document.unreadable") from exc
    check_quality(pixels, limits.quality)
    buffer = io.BytesIO()
    pixels.save(buffer, **_SAVE_OPTIONS[media_type])
    return buffer.getvalue(), PageSize(*pixels.size)


@contextmanager
def _opened(data: bytes, media_type: str, max_pixels: int) -> Iterator[Image.Image]:
    """Open with only the decoder the magic bytes named, reading headers but no pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[media_type])
    except Image.DecompressionBombError as exc:
        raise DocumentRefused("document.too_many_pixels", _pixel_params(max_pixels)) from exc
    except (UnidentifiedImageError, *_DECODE_ERRORS) as exc:
        raise DocumentRefused("document.unreadable") from exc
    with image:
        yield image


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    """Refuse by the declared size, before any pixel memory is allocated."""
    width, height = size
    if width <= 0 or height <= 0:
        raise DocumentRefused("document.unreadable")
    if width * height > max_pixels:
        raise DocumentRefused("document.too_many_pixels", _pixel_params(max_pixels))


def _pixel_params(max_pixels: int) -> dict[str, float]:
    """Message parameters for the pixel limit."""
    return {"max_megapixels": round(max_pixels / 1_000_000, 1)}


def _clean_pixels(image: Image.Image) -> Image.Image:
    """Upright RGB or L pixels in a new image, so no EXIF, ICC, comment or chunk survives."""
    # Orientation lives in EXIF, which is dropped below: apply it to the pixels first.
    upright = ImageOps.exif_transpose(image)
    converted = _to_rgb_or_l(upright)
    fresh = Image.new(converted.mode, converted.size)
    fresh.paste(converted)
    return fresh


def _to_rgb_or_l(image: Image.Image) -> Image.Image:
    """8-bit grayscale stays gray, everything else becomes RGB; transparency goes to white."""
    if image.mode in _SIXTEEN_BIT:
        # Pillow clips 16-bit values to 255 when converting to L; scale them down instead.
        wide = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") else max(float(wide.max()), 1.0)
        return Image.fromarray(np.clip(wide * 255.0 / top, 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # Transparent areas would otherwise turn black, which reads as "too dark".
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")
