"""Uploads are cut off while streaming; every refusal reads well in the four languages."""

import pathlib
import re
import string

import pytest

from intake.documents import LANGUAGES, MESSAGES, DocumentRefused, message, read_limited

CHUNK = 1000


class Upload:
    """An async chunk stream that records how much of it was pulled and whether it was closed."""

    def __init__(self, size):
        self.size, self.consumed, self.closed = size, 0, False

    def __aiter__(self):
        return self._chunks()

    async def _chunks(self):
        try:
            while self.consumed < self.size:
                chunk = b"x" * min(CHUNK, self.size - self.consumed)
                self.consumed += len(chunk)
                yield chunk
        finally:
            self.closed = True


async def test_an_upload_within_the_limit_is_read_whole():
    assert await read_limited(aiter(Upload(2500)), max_bytes=2500) == b"x" * 2500


async def test_an_oversize_upload_is_cut_off_at_the_first_chunk_past_the_limit():
    upload = Upload(10_000_000)
    chunks = aiter(upload)

    with pytest.raises(DocumentRefused) as refused:
        await read_limited(chunks, max_bytes=2500)

    assert refused.value.code == "document.too_large"
    assert upload.consumed == 3000  # max_bytes + the rest of the chunk that crossed it
    assert upload.closed


async def test_one_byte_over_is_too_large():
    with pytest.raises(DocumentRefused):
        await read_limited(aiter(Upload(2501)), max_bytes=2500)


def test_every_code_has_a_message_in_french_dutch_german_and_english():
    for code, texts in MESSAGES.items():
        assert code.startswith("document.")
        assert set(texts) == set(LANGUAGES) == {"fr", "nl", "de", "en"}
        assert all(text.strip() and text.endswith(".") for text in texts.values()), code


def test_every_language_uses_the_same_parameters_for_a_code():
    for code, texts in MESSAGES.items():
        fields = {lang: _fields(text) for lang, text in texts.items()}
        assert len(set(map(frozenset, fields.values()))) == 1, code


def test_every_code_the_package_raises_has_a_message():
    import intake.documents as package

    sources = pathlib.Path(package.__file__).parent.glob("*.py")
    raised = {
        code for path in sources for code in re.findall(r'"(document\.[a-z_]+)"', path.read_text())
    }

    assert raised <= set(MESSAGES)
    assert {
        "document.too_blurred",
        "document.pdf_has_scripts",
        "document.too_many_pixels",
    } <= raised


def test_a_message_is_filled_with_the_refusal_parameters():
    refused = DocumentRefused("document.too_small", {"min_short_side": 600, "short_side": 213})

    text = message(refused.code, "nl", **refused.params)

    assert "213" in text and "600" in text and "300 dpi" in text


def test_an_unknown_language_falls_back_to_english():
    assert message("document.too_dark", "pl") == MESSAGES["document.too_dark"]["en"]


def test_a_refusal_carries_only_its_code_and_numbers():
    refused = DocumentRefused("document.pdf_too_many_pages", {"max_pages": 4, "page_count": 5})

    assert str(refused) == "document.pdf_too_many_pages {'max_pages': 4, 'page_count': 5}"


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
