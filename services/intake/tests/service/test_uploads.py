"""Uploads over HTTP: attacks are refused or defused, quality is judged, pages are managed."""

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares the size but whose data is a few bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
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


def with_gps(scans) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 50.0, 46.0)
    return scans.jpeg(scans.card(), exif=exif)


async def test_a_sharp_scan_is_stored_under_our_id_and_downloaded_with_safe_headers(tenant, scans):
    draft_id = await tenant.new_draft()

    page = await tenant.upload(draft_id, scans.sharp(), filename="anna_passport.jpg")

    assert page.status_code == 201, page.text
    stored = page.json()
    assert stored["media_type"] == "image/jpeg" and stored["pages"] == 1
    download = await tenant.call("GET", stored["href"])
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        f'attachment; filename="document-{stored["id"]}.jpg"'
    )
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-type"] == "image/jpeg"
    assert stored["display_name"] == "anna_passport.jpg"


async def test_a_raw_body_upload_is_accepted_too(tenant, scans):
    draft_id = await tenant.new_draft()

    page = await tenant.call(
        "POST",
        f"/drafts/{draft_id}/pages?filename=front.jpg",
        content=scans.sharp(),
        headers={"Content-Type": "image/jpeg"},
    )

    assert page.status_code == 201 and page.json()["display_name"] == "front.jpg"


async def test_a_pdf_renamed_jpg_is_typed_by_its_content_and_counts_its_pages(tenant, scans):
    draft_id = await tenant.new_draft()

    page = (await tenant.upload(draft_id, scans.pdf(pages=2), filename="scan.jpg")).json()

    assert page["media_type"] == "application/pdf" and page["pages"] == 2
    download = await tenant.call("GET", page["href"])
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].endswith('.pdf"')


async def test_an_html_jpeg_polyglot_is_stored_without_its_html(tenant, scans):
    draft_id = await tenant.new_draft()
    polyglot = scans.jpeg(scans.card(), comment=HTML) + HTML

    page = (
        await tenant.upload(draft_id, polyglot, filename="x.html", content_type="text/html")
    ).json()

    data = (await tenant.call("GET", page["href"])).content
    assert page["media_type"] == "image/jpeg"
    assert b"<script" not in data.lower() and b"<html" not in data.lower()


async def test_html_behind_jpeg_magic_is_refused_as_unreadable(tenant):
    response = await tenant.upload(await tenant.new_draft(), b"\xff\xd8\xff\xe0" + HTML)

    assert (response.status_code, response.json()["code"]) == (422, "document.unreadable")


async def test_a_png_declaring_50000_by_50000_pixels_is_refused_before_decoding(tenant):
    response = await tenant.upload(
        await tenant.new_draft(),
        png_declaring(50_000, 50_000),
        filename="big.png",
        content_type="image/png",
        headers={"Accept-Language": "fr"},
    )

    body = response.json()
    assert (response.status_code, body["code"]) == (422, "document.too_many_pixels")
    assert body["params"] == {"max_megapixels": 40.0}
    assert "40.0 mégapixels" in body["message"]


@pytest.mark.parametrize("multipart", [True, False])
async def test_an_oversize_body_is_refused_as_too_large(tenant, multipart):
    draft_id = await tenant.new_draft()
    oversize = b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024)

    if multipart:
        response = await tenant.upload(draft_id, oversize)
    else:
        response = await tenant.call("POST", f"/drafts/{draft_id}/pages", content=_chunks(oversize))

    assert (response.status_code, response.json()["code"]) == (413, "document.too_large")
    assert response.json()["params"] == {"max_mb": 10.0}


async def _chunks(data: bytes, size: int = 256 * 1024):
    """A body without Content-Length: only the streaming cap can stop it."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def multipart_with_raw_name(name: bytes, data: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand: httpx would percent-encode the NUL."""
    boundary = "idpro-test-boundary"
    body = (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + name
        + b'"\r\n'
        + b"Content-Type: image/jpeg\r\n\r\n"
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


async def test_a_file_name_with_dot_dot_slash_and_nul_is_only_shown_made_safe(tenant, scans):
    draft_id = await tenant.new_draft()
    body, content_type = multipart_with_raw_name(b"../../etc/passwd\x00.html", scans.sharp())

    response = await tenant.call(
        "POST", f"/drafts/{draft_id}/pages", content=body, headers={"Content-Type": content_type}
    )

    assert response.status_code == 201, response.text
    page = response.json()
    assert page["display_name"] == "passwd" and page["media_type"] == "image/jpeg"
    download = await tenant.call("GET", page["href"])
    assert "passwd" not in download.headers["content-disposition"]
    assert ".." not in download.headers["content-disposition"]


async def test_exif_gps_is_stripped_from_the_stored_scan(tenant, scans):
    data = with_gps(scans)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    page = (await tenant.upload(await tenant.new_draft(), data)).json()

    stored = (await tenant.call("GET", page["href"])).content
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored


@pytest.mark.parametrize(
    ("scan", "code"), [("blurred", "document.too_blurred"), ("dark", "document.too_dark")]
)
async def test_a_poor_scan_is_refused_with_the_reason_in_the_asked_language(
    tenant, scans, scan, code
):
    response = await tenant.upload(
        await tenant.new_draft(), getattr(scans, scan)(), headers={"Accept-Language": "nl"}
    )

    assert (response.status_code, response.json()["code"]) == (422, code)
    assert response.json()["language"] == "nl"
    assert response.json()["message"].startswith("De afbeelding is te")


async def test_a_fifth_page_is_refused_and_a_pdf_counts_its_pages(tenant, scans):
    draft_id = await tenant.new_draft()
    assert (await tenant.upload(draft_id, scans.pdf(pages=3))).status_code == 201
    assert (await tenant.upload(draft_id, scans.sharp())).status_code == 201

    response = await tenant.upload(draft_id, scans.sharp())

    assert (response.status_code, response.json()["code"]) == (422, "document.too_many_pages")


async def test_pages_can_be_reordered_and_removed(tenant, scans):
    draft_id = await tenant.new_draft()
    first = (await tenant.upload(draft_id, scans.sharp())).json()["id"]
    second = (await tenant.upload(draft_id, scans.pdf(pages=1))).json()["id"]

    reordered = await tenant.call(
        "PUT", f"/drafts/{draft_id}/pages", json={"pages": [second, first]}
    )
    assert [p["id"] for p in reordered.json()["steps"]["document"]["pages"]] == [second, first]

    removed = await tenant.call("DELETE", f"/drafts/{draft_id}/pages/{second}")
    assert [p["id"] for p in removed.json()["steps"]["document"]["pages"]] == [first]
    assert (await tenant.call("GET", f"/documents/{second}")).status_code == 404


async def test_a_reorder_that_drops_or_repeats_a_page_is_refused(tenant, scans):
    draft_id = await tenant.new_draft()
    first = (await tenant.upload(draft_id, scans.sharp())).json()["id"]
    await tenant.upload(draft_id, scans.pdf(pages=1))

    response = await tenant.call("PUT", f"/drafts/{draft_id}/pages", json={"pages": [first, first]})

    assert (response.status_code, response.json()["code"]) == (422, "pages.order_mismatch")
