"""Images are typed by content, decoded under limits, and stored as re-encoded pixels only."""

import hashlib
import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFont, PngImagePlugin

from intake.documents import DocumentRefused, Limits, inspect_and_normalise

LIMITS = Limits()
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def page(size=(900, 640)):
    """A plain readable page: dark text lines on light paper."""
    image = Image.new("RGB", size, (235, 233, 228))
    draw = ImageDraw.Draw(image)
    for i in range(10):
        draw.text(
            (30, 30 + i * 58), f"LINE {i} P<BEL<<SPECIMEN<<ANNA", font=_font(), fill=(20, 20, 30)
        )
    return image


def _font():
    return ImageFont.load_default(size=34)


def encoded(image, fmt="JPEG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def refusal(data, limits=LIMITS):
    with pytest.raises(DocumentRefused) as refused:
        inspect_and_normalise(data, limits=limits)
    return refused.value


def png_declaring(width, height):
    """A PNG whose IHDR declares the size but whose data is a few bytes: no big allocation."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_jpeg_is_stored_as_a_re_encoded_jpeg():
    stored = inspect_and_normalise(encoded(page()), limits=LIMITS)

    assert stored.media_type == "image/jpeg" and stored.extension == "jpg"
    assert Image.open(io.BytesIO(stored.data)).format == "JPEG"
    assert (stored.page_count, stored.pages[0].width, stored.pages[0].height) == (1, 900, 640)


def test_a_png_is_stored_as_a_png_and_its_digest_is_of_the_stored_bytes():
    stored = inspect_and_normalise(encoded(page(), "PNG"), limits=LIMITS)

    assert stored.media_type == "image/png"
    assert stored.sha256 == hashlib.sha256(stored.data).hexdigest()


def test_a_jpeg_with_html_appended_is_stored_without_it():
    stored = inspect_and_normalise(encoded(page()) + HTML, limits=LIMITS)

    assert b"<html" not in stored.data.lower() and b"<script" not in stored.data.lower()


def test_html_hidden_in_a_jpeg_comment_or_png_text_chunk_is_not_stored():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    for data in (encoded(page(), comment=HTML), encoded(page(), "PNG", pnginfo=info)):
        assert HTML in data
        stored = inspect_and_normalise(data, limits=LIMITS)
        assert b"<script" not in stored.data.lower()


def test_an_html_file_starting_with_jpeg_magic_is_refused_as_unreadable():
    assert refusal(b"\xff\xd8\xff\xe0" + HTML).code == "document.unreadable"


@pytest.mark.parametrize(
    "data",
    [HTML, b"GIF89a" + b"\0" * 64, b"PK\x03\x04" + b"\0" * 64, b"", b"<?xml version='1.0'?><svg/>"],
)
def test_anything_but_jpeg_png_or_pdf_is_refused_as_unsupported(data):
    assert refusal(data).code == "document.unsupported_type"


def test_a_truncated_image_is_refused_as_unreadable():
    for data in (encoded(page()), encoded(page(), "PNG")):
        assert refusal(data[: len(data) // 2]).code == "document.unreadable"


def test_a_png_declaring_50000_by_50000_pixels_is_refused_quickly():
    started = time.perf_counter()

    refused = refusal(png_declaring(50_000, 50_000))

    assert refused.code == "document.too_many_pixels"
    assert refused.params == {"max_megapixels": 40.0}
    assert time.perf_counter() - started < 0.5


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_pixel_limit_is_ours_not_only_pillows():
    refused = refusal(png_declaring(7_000, 7_000))  # 49 MP: under Pillow's hard stop, over ours

    assert refused.code == "document.too_many_pixels"


def test_the_pixel_limit_is_configurable():
    assert refusal(encoded(page()), Limits(max_pixels=500_000)).code == "document.too_many_pixels"


def test_exif_with_gps_is_gone_from_the_stored_jpeg():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 50.0, 46.0)
    data = encoded(page(), exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    stored = Image.open(io.BytesIO(inspect_and_normalise(data, limits=LIMITS).data))

    assert not stored.getexif() and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in inspect_and_normalise(data, limits=LIMITS).data
    assert b"PhoneMaker" not in inspect_and_normalise(data, limits=LIMITS).data


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # camera held upright: rotate 90 degrees clockwise
    data = encoded(page(), exif=exif)

    stored = inspect_and_normalise(data, limits=LIMITS)

    assert (stored.pages[0].width, stored.pages[0].height) == (640, 900)


def test_a_transparent_png_is_flattened_on_white_not_black():
    image = page().convert("RGBA")
    image.putalpha(0)
    ImageDraw.Draw(image).text((30, 30), "VISIBLE TEXT <<<<", font=_font(), fill=(0, 0, 0, 255))

    stored = Image.open(
        io.BytesIO(inspect_and_normalise(encoded(image, "PNG"), limits=LIMITS).data)
    )

    assert stored.mode == "RGB" and stored.getpixel((5, 5)) == (255, 255, 255)


def test_a_16_bit_grayscale_png_is_scaled_not_clipped_to_white():
    gray = np.asarray(page().convert("L"), dtype=np.uint16) * 257
    data = encoded(Image.fromarray(gray), "PNG")

    stored = Image.open(io.BytesIO(inspect_and_normalise(data, limits=LIMITS).data))

    assert stored.mode == "L" and np.asarray(stored).min() < 64


def test_a_cmyk_jpeg_is_stored_as_rgb():
    stored = inspect_and_normalise(encoded(page().convert("CMYK")), limits=LIMITS)

    assert Image.open(io.BytesIO(stored.data)).mode == "RGB"
