"""A one-page PDF confirmation of an assigned number, written by hand (PDF 1.4, Helvetica).

Small on purpose: a few lines of text need no library. Text outside Latin-1 is transliterated.
"""

import unicodedata
from collections.abc import Sequence


def _latin1(text: str) -> bytes:
    """Helvetica's WinAnsi covers Latin-1; other letters lose their marks (Ł → L)."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1252"))
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
            out.append(base or {"Ł": b"L", "ł": b"l", "Đ": b"D", "đ": b"d"}.get(ch, b"?"))
    return b"".join(out)


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(title: str, lines: Sequence[tuple[str, str]], footer: str) -> bytes:
    parts = [b"BT /F2 18 Tf 56 780 Td (" + _escape(_latin1(title)) + b") Tj ET"]
    y = 740
    for label, value in lines:
        parts.append(b"BT /F1 10 Tf 56 %d Td (" % y + _escape(_latin1(label)) + b") Tj ET")
        size = 16 if value and value[0].isdigit() and "." in value and "-" in value else 12
        parts.append(b"BT /F2 %d Tf 220 %d Td (" % (size, y) + _escape(_latin1(value)) + b") Tj ET")
        y -= 26
    parts.append(b"BT /F1 8 Tf 56 60 Td (" + _escape(_latin1(footer)) + b") Tj ET")
    return b"\n".join(parts)


def confirmation(*, title: str, lines: Sequence[tuple[str, str]], footer: str) -> bytes:
    """The PDF bytes: a title, label/value lines, a footer."""
    stream = _content(title, lines, footer)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _escape(_latin1(title)) + b") /Producer (idpro) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
