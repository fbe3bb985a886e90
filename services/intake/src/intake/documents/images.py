"""Decoding an uploaded image safely and keeping nothing of it but its pixels.

The cost that matters is memory, and it is set by the decoded pixels, not by the pixel count
alone: a 40 MP CMYK or RGB JPEG decodes to 160 MB (Pillow keeps RGB as 32-bit pixels), a 40 MP
16-bit PNG to 80 MB, and each conversion allocates the result beside its source. So before any
pixel is decoded, `plan` adds up what the pipeline below will hold at its peak and refuses what
passes `max_decoded_bytes` — except a JPEG, which the decoder itself can scale down by 2, 4 or 8
(DCT scaling) until it fits. The pipeline never holds more than two images at once, and 16-bit
samples are scaled in strips.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from .errors import DocumentRefused
from .limits import Limits, PageSize
from .quality import check_quality

# Second line of defence behind our own size check: Pillow warns above this and refuses above
# twice this, instead of its default ~89 MP, for any code path that would skip `plan`.
Image.MAX_IMAGE_PIXELS = Limits().max_pixels

_PILLOW_FORMATS = {"image/jpeg": ["JPEG"], "image/png": ["PNG"]}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    # Quality 90 keeps small MRZ characters crisp at about a third of the size of quality 100.
    "image/jpeg": {"format": "JPEG", "quality": 90},
    "image/png": {"format": "PNG", "compress_level": 6},
}
# What a hostile or broken image can make Pillow raise while decoding.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
_WIDE = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
_ALPHA = {"RGBA", "LA", "PA", "RGBa", "La"}
# Bytes per pixel Pillow stores: one for 1-bit, grey and palette, two for 16-bit grey, and four
# for every other mode (RGB included: Pillow keeps it as 32-bit pixels).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# EXIF orientation → the transposition that makes the pixels upright (as ImageOps.exif_transpose).
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_STRIP_ROWS = 128


@dataclass(frozen=True)
class DecodePlan:
    """How an image will be decoded: at which JPEG scale, holding at most `peak_bytes`."""

    scale: int
    peak_bytes: int
    orientation: int


def decode_cost(data: bytes, *, media_type: str, limits: Limits) -> int:
    """The memory (bytes) checking this image will take at its peak, from its header alone."""
    with _opened(data, media_type, limits.max_pixels) as image:
        return plan(image, limits).peak_bytes


def normalise_image(data: bytes, *, media_type: str, limits: Limits) -> tuple[bytes, PageSize]:
    """Decode within the plan, check size and quality, and re-encode the pixels alone."""
    with _opened(data, media_type, limits.max_pixels) as image:
        decided = plan(image, limits)
        try:
            if decided.scale > 1:
                image.draft(
                    image.mode, (image.width // decided.scale, image.height // decided.scale)
                )
            image.load()
            pixels = _upright(_released(image, _to_rgb_or_l(image)), decided.orientation)
        except _DECODE_ERRORS as exc:
            raise DocumentRefused("document.unreadable") from exc
    # The pixels only: EXIF, ICC, comments and text chunks are not written back.
    pixels.info = {}
    check_quality(pixels, limits.quality)
    buffer = io.BytesIO()
    pixels.save(buffer, **_SAVE_OPTIONS[media_type])
    return buffer.getvalue(), PageSize(*pixels.size)


def plan(image: Image.Image, limits: Limits) -> DecodePlan:
    """The full-size decode if it fits `max_decoded_bytes`, else the largest JPEG scale that does."""
    _check_pixels(image.size, limits.max_pixels)
    orientation = _orientation(image)
    per_pixel = _peak_bytes_per_pixel(image, transposed=orientation in _ORIENTATION)
    scales = (1, 2, 4, 8) if image.format == "JPEG" else (1,)
    for scale in scales:
        pixels = math.ceil(image.width / scale) * math.ceil(image.height / scale)
        if pixels * per_pixel <= limits.max_decoded_bytes:
            return DecodePlan(scale, pixels * per_pixel, orientation)
    allowed = limits.max_decoded_bytes / per_pixel
    raise DocumentRefused(
        "document.too_many_pixels", _pixel_params(min(allowed, limits.max_pixels))
    )


def _peak_bytes_per_pixel(image: Image.Image, *, transposed: bool) -> int:
    """What the pipeline holds per pixel at its peak: the decoded image beside its conversion,
    or the converted image beside its upright copy."""
    decoded = _BYTES_PER_PIXEL.get(image.mode, 4)
    out = 1 if image.mode in _WIDE or image.mode in ("1", "L") else 4
    if _transparent(image):
        # Pasted on a white RGB page; a palette or other mode goes through RGBA first.
        converting = decoded + 4 + (0 if image.mode in _ALPHA else 4)
    elif image.mode in ("L", "RGB"):
        converting = decoded
    else:
        converting = decoded + out
    return max(converting, 2 * out if transposed else 0)


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


def _pixel_params(max_pixels: float) -> dict[str, float]:
    """Message parameters for the pixel limit."""
    return {"max_megapixels": round(max_pixels / 1_000_000, 1)}


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (*_DECODE_ERRORS, KeyError):
        return 1  # an unreadable EXIF block orients nothing


def _transparent(image: Image.Image) -> bool:
    return image.mode in _ALPHA or "transparency" in image.info


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """Orientation lives in EXIF, which is not kept: apply it to the pixels."""
    if orientation not in _ORIENTATION:
        return image
    return _released(image, image.transpose(_ORIENTATION[orientation]))


def _released(source: Image.Image, result: Image.Image) -> Image.Image:
    """The result; the source's pixels are freed at once when it is another image."""
    if result is not source:
        source.close()
    return result


def _to_rgb_or_l(image: Image.Image) -> Image.Image:
    """8-bit grayscale stays gray, everything else becomes RGB; transparency goes to white."""
    if image.mode in _WIDE:
        return _scaled_to_l(image)
    if _transparent(image):
        # Transparent areas would otherwise turn black, which reads as "too dark".
        source = image if image.mode in _ALPHA else image.convert("RGBA")
        page = Image.new("RGB", image.size, (255, 255, 255))
        page.paste(source, (0, 0), source)
        return page
    if image.mode in ("L", "RGB"):
        return image
    return image.convert("L" if image.mode == "1" else "RGB")


def _scaled_to_l(image: Image.Image) -> Image.Image:
    """16- or 32-bit gray scaled to 8 bits (Pillow would clip it to 255), a strip at a time so
    no full-size wide copy is ever made."""
    _, high = image.getextrema()
    top = 65535.0 if image.mode.startswith("I;16") else max(float(high), 1.0)
    out = Image.new("L", image.size)
    for y in range(0, image.height, _STRIP_ROWS):
        box = (0, y, image.width, min(y + _STRIP_ROWS, image.height))
        strip = np.asarray(image.crop(box), dtype=np.float32)
        scaled = np.clip(strip * np.float32(255.0 / top), 0, 255).astype(np.uint8)
        out.paste(Image.fromarray(scaled, "L"), box[:2])
    return out
