"""A PDF page as the viewers show it: its scanned picture, turned as the page is, as a JPEG."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

from intake.documents.pdf_pages import MAX_SIDE, NoSuchPage, page_image

PIXELS = 40_000_000


def scanned(*sizes: tuple[int, int], colours=((200, 30, 30), (30, 30, 200))) -> bytes:
    pictures = [
        Image.new("RGB", size, colour) for size, colour in zip(sizes, colours, strict=False)
    ]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "PDF", save_all=True, append_images=pictures[1:], resolution=300)
    return buffer.getvalue()


def edited(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def shown(jpeg: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(jpeg))
    assert picture.format == "JPEG"
    return picture.convert("RGB")


def test_each_page_is_its_own_picture():
    data = scanned((600, 400), (300, 500))

    first, second = (shown(page_image(data, n, max_pixels=PIXELS)) for n in (1, 2))

    assert first.size == (600, 400) and second.size == (300, 500)
    assert first.getpixel((300, 200))[0] > 150 and second.getpixel((150, 250))[2] > 150


def test_a_page_past_the_last_is_not_there():
    with pytest.raises(NoSuchPage):
        page_image(scanned((600, 400)), 2, max_pixels=PIXELS)


def test_a_turned_page_is_shown_turned():
    data = edited(scanned((600, 400)), lambda w: w.pages[0].rotate(90))

    assert shown(page_image(data, 1, max_pixels=PIXELS)).size == (400, 600)


def test_a_large_scan_is_shown_at_most_max_side_wide():
    picture = shown(page_image(scanned((4000, 2000)), 1, max_pixels=PIXELS))

    assert picture.size == (MAX_SIDE, MAX_SIDE // 2)


def test_a_page_that_draws_no_picture_has_none():
    def typed_page(writer: PdfWriter) -> None:
        page = writer.add_blank_page(595, 842)
        text = DecodedStreamObject()
        text.set_data(b"BT /F1 12 Tf 72 720 Td (typed) Tj ET")
        page[NameObject("/Contents")] = writer._add_object(text)

    data = edited(scanned((600, 400)), typed_page)

    assert page_image(data, 2, max_pixels=PIXELS) is None


def test_a_picture_past_the_pixel_bound_is_never_decoded():
    def huge(writer: PdfWriter) -> None:
        [image] = writer.pages[0]["/Resources"]["/XObject"].values()
        image.get_object()[NameObject("/Width")] = NumberObject(200_000)

    data = edited(scanned((600, 400)), huge)

    assert page_image(data, 1, max_pixels=PIXELS) is None
