"""PDFs are typed by content, refused when encrypted, active or too long, else stored as-is."""

import hashlib
import inspect
import io

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from intake.documents import (
    DocumentRefused,
    Limits,
    check_page_budget,
    inspect_and_normalise,
    read_limited,
    safe_display_name,
)

LIMITS = Limits()


def scanned_pdf(pages=2):
    """A PDF as a scanner writes it: one image per page."""
    images = []
    for number in range(pages):
        image = Image.new("RGB", (850, 600), (240, 240, 235))
        font = ImageFont.load_default(size=30)
        ImageDraw.Draw(image).text((40, 40), f"PAGE {number + 1} SPECIMEN", font=font, fill=20)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=300)
    return buffer.getvalue()


def rewritten(data, change):
    """The PDF after `change(writer)`, written out again."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind, **entries):
    entries = {NameObject(f"/{key}"): value for key, value in entries.items()}
    return DictionaryObject({NameObject("/S"): NameObject(kind), **entries})


def refusal(data, limits=LIMITS):
    with pytest.raises(DocumentRefused) as refused:
        inspect_and_normalise(data, limits=limits)
    return refused.value


def test_a_scanned_pdf_is_stored_with_its_pages_and_images_as_they_came():
    data = scanned_pdf(pages=2)

    stored = inspect_and_normalise(data, limits=LIMITS)

    assert (stored.media_type, stored.page_count) == ("application/pdf", 2)
    images = [[i.data for i in p.images] for p in PdfReader(io.BytesIO(data)).pages]
    kept = [[i.data for i in p.images] for p in PdfReader(io.BytesIO(stored.data)).pages]
    assert kept == images


def test_a_pdf_renamed_jpg_is_typed_by_content_because_no_api_takes_a_file_name():
    for api in (inspect_and_normalise, read_limited):
        assert not {"name", "filename", "file_name"} & set(inspect.signature(api).parameters)

    stored = inspect_and_normalise(scanned_pdf(), limits=LIMITS)  # uploaded as "passport.jpg"

    assert stored.media_type == "application/pdf" and stored.extension == "pdf"


def test_a_client_file_name_is_only_ever_made_safe_for_display():
    shown = safe_display_name("../../etc/passwd\x00.jpg")

    assert shown == "passwd"
    assert "/" not in shown and ".." not in shown and "\x00" not in shown
    assert safe_display_name("..\\..\\boot.ini") == "boot.ini"
    assert safe_display_name("\x00") == "document"


def test_an_encrypted_pdf_is_refused():
    data = rewritten(scanned_pdf(), lambda writer: writer.encrypt("secret"))

    assert refusal(data).code == "document.pdf_encrypted"


def document_javascript(name="/JavaScript"):
    """A change adding a document-level script, run by viewers when the file opens."""

    def change(writer):
        script = action("/JavaScript", JS=TextStringObject("app.alert('hi');"))
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("x"), script])}
        )
        names = DictionaryObject({NameObject(name): tree})
        writer._root_object[NameObject("/Names")] = names

    return change


def test_a_pdf_with_javascript_is_refused():
    data = rewritten(scanned_pdf(), document_javascript())

    assert refusal(data).code == "document.pdf_has_scripts"


@pytest.mark.parametrize(
    "make_active",
    [
        lambda w: w._root_object.update({NameObject("/OpenAction"): action("/Launch")}),
        lambda w: w._root_object.update(
            {NameObject("/OpenAction"): action("/URI", URI=TextStringObject("https://x.test"))}
        ),
        lambda w: w.pages[0].update({NameObject("/AA"): DictionaryObject()}),
        lambda w: w.add_attachment("invoice.exe", b"MZ\x90\x00"),
    ],
    ids=["open-action-launch", "open-action-uri", "page-additional-actions", "embedded-file"],
)
def test_a_pdf_with_actions_or_attachments_is_refused(make_active):
    assert refusal(rewritten(scanned_pdf(), make_active)).code == "document.pdf_has_scripts"


def test_a_javascript_name_tree_spelt_with_hex_escapes_is_still_found():
    def empty_tree(writer):
        tree = DictionaryObject({NameObject("/Names"): ArrayObject()})
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/PLACEHOLDER1"): tree}
        )

    # Same length, so the cross-reference offsets stay right; /J#61vaScript reads as /JavaScript.
    data = rewritten(scanned_pdf(), empty_tree).replace(b"/PLACEHOLDER1", b"/J#61vaScript")
    assert b"/JavaScript" not in data

    assert refusal(data).code == "document.pdf_has_scripts"


def test_an_open_action_that_only_opens_the_first_page_is_accepted():
    def go_to_first_page(writer):
        destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
        writer._root_object[NameObject("/OpenAction")] = destination

    inspect_and_normalise(rewritten(scanned_pdf(), go_to_first_page), limits=LIMITS)


def test_a_pdf_carrying_html_is_refused():
    data = scanned_pdf().replace(b"%%EOF", b"<html><script>alert(1)</script>\n%%EOF")

    assert refusal(data).code == "document.pdf_has_scripts"


def test_a_pdf_with_5_pages_is_refused_with_the_limit_4():
    refused = refusal(scanned_pdf(pages=5), Limits(max_pages=4))

    assert refused.code == "document.pdf_too_many_pages"
    assert refused.params == {"max_pages": 4, "page_count": 5}


def test_a_pdf_with_a_blank_first_page_is_refused_as_empty():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)

    assert refusal(buffer.getvalue()).code == "document.empty"


def test_a_broken_pdf_is_refused_as_unreadable():
    assert refusal(b"%PDF-1.7\n" + b"garbage " * 50).code == "document.unreadable"


def test_pages_of_all_documents_of_a_request_count_toward_its_limit():
    two_pages = inspect_and_normalise(scanned_pdf(pages=2), limits=LIMITS)

    check_page_budget(2, two_pages, limits=LIMITS)
    with pytest.raises(DocumentRefused) as refused:
        check_page_budget(3, two_pages, limits=LIMITS)

    assert refused.value.code == "document.too_many_pages"
    assert refused.value.params == {"max_pages": 4}


def test_a_page_count_limit_is_configurable():
    stored = inspect_and_normalise(scanned_pdf(pages=5), limits=Limits(max_pages=6))

    assert stored.page_count == 5


def with_metadata(data):
    """The PDF with a title naming the holder in /Info and an XMP stream on the catalogue and page."""
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:title>Kowalska Anna passport</dc:title></x:xmpmeta>'

    def change(writer):
        writer.add_metadata({"/Title": "Kowalska Anna passport", "/Author": "HR Jan Peeters"})
        stream = StreamObject()
        stream.set_data(xmp)
        stream[NameObject("/Type")] = NameObject("/Metadata")
        ref = writer._add_object(stream)
        writer.root_object[NameObject("/Metadata")] = ref
        writer.pages[0][NameObject("/Metadata")] = ref

    return rewritten(data, change)


def test_a_stored_pdf_keeps_neither_its_document_information_nor_its_xmp_metadata():
    data = with_metadata(scanned_pdf(pages=2))
    assert b"Kowalska" in data

    stored = inspect_and_normalise(data, limits=LIMITS)

    reader = PdfReader(io.BytesIO(stored.data))
    assert (reader.metadata, reader.xmp_metadata) == (None, None)
    assert "/Metadata" not in reader.pages[0]
    assert b"Kowalska" not in stored.data and b"Peeters" not in stored.data
    assert (len(reader.pages), stored.page_count) == (2, 2)
    assert stored.sha256 == hashlib.sha256(stored.data).hexdigest()
