"""The confirmation of an assigned number as a one-page PDF (fpdf2, Noto Sans embedded).

Names are printed as written: Wiśniewska, Шевченко, Παπαδόπουλος. The font is Noto Sans from the
fontpkg-noto-sans wheel (pinned in uv.lock), embedded as a subset with its Unicode map, so the
text can be searched and copied. The document's metadata hold no personal data.

The wheel ships a variable font; instancing it takes seconds, so the regular and bold instances
(Latin, Greek and Cyrillic only) are made once, kept in a cache folder, and made at start-up in
the background (`warm_up`) so no employer waits for them.
"""

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import fontpkg_noto_sans
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF

from eventing.logs import get_logger

FONT = "NotoSans"
_FILE = Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf"
# Latin (with Extended A/B and Additional), Greek, Cyrillic, punctuation, €, №.
_UNICODES = (
    *range(0x20, 0x250),
    *range(0x370, 0x530),
    *range(0x1E00, 0x1F00),
    *range(0x2000, 0x2070),
    0x20AC,
    0x2116,
)
_WEIGHTS = {"": 400, "B": 700}
_lock = threading.Lock()
log = get_logger("gateway.pdf")
_INK, _MUTED, _RULE = (31, 41, 51), (82, 96, 109), (203, 210, 217)


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation says, every text already in the reader's language."""

    title: str
    outcome: str  # which kind of number, e.g. "New BIS number created"
    number_label: str
    number: str  # formatted YY.MM.DD-SSS.CC
    lines: Sequence[tuple[str, str]]  # label, value
    reference_label: str
    reference: str
    footer: str


def verification_reference(request_id: str, ssin: str, employer_id: str) -> str:
    """A short reference that ties this confirmation to one request, number and employer."""
    digest = hashlib.sha256(f"{request_id}:{ssin}:{employer_id}".encode()).hexdigest().upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def font_files(cache_dir: Path | None = None) -> dict[str, Path]:
    """The static regular and bold instances, made once and kept (style → file)."""
    folder = cache_dir or Path(os.environ.get("IDPRO_FONT_CACHE", tempfile.gettempdir()))
    source = _FILE.read_bytes()  # the wheel's layout is its own: fails loudly if it changes
    tag = hashlib.sha256(source + repr(_UNICODES).encode()).hexdigest()[:16]
    files = {
        style: folder / f"idpro-notosans-{weight}-{tag}.ttf" for style, weight in _WEIGHTS.items()
    }
    with _lock:
        if not all(path.exists() for path in files.values()):
            _make_instances(files, folder)
    return files


def _make_instances(files: dict[str, Path], folder: Path) -> None:
    font = TTFont(_FILE)
    # No layout tables: fpdf2 does not shape Latin, Greek or Cyrillic, and they cost seconds.
    options = subset.Options(layout_features=[], notdef_outline=True, name_IDs=["*"])
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_UNICODES)
    subsetter.subset(font)
    folder.mkdir(parents=True, exist_ok=True)
    for style, path in files.items():
        instance = instancer.instantiateVariableFont(
            font, {"wght": _WEIGHTS[style], "wdth": 100}, inplace=False
        )
        partial = path.with_suffix(f".{os.getpid()}.part")
        instance.save(partial)
        partial.replace(path)  # atomic: another process never reads half a font


def warm_up() -> None:
    """Make the font instances now (called in the background at start-up); never raises."""
    try:
        font_files()
    except Exception as exc:  # the first PDF will try again, and fail loudly there
        log.warning("pdf.fonts_not_ready", error_class=type(exc).__name__)


def _document() -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    for style, path in font_files().items():
        pdf.add_font(FONT, style, path)
    pdf.set_title("idpro")
    pdf.set_creator("idpro")
    pdf.set_lang("")
    pdf.add_page()
    return pdf


def render(confirmation: Confirmation, *, language: str) -> bytes:
    """The PDF bytes of one confirmation."""
    pdf = _document()
    pdf.set_lang(language)
    pdf.set_text_color(*_INK)
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, confirmation.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 7, confirmation.outcome, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_text_color(*_INK)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, confirmation.number_label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 24)
    pdf.cell(0, 12, confirmation.number, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _lines(pdf, [*confirmation.lines, (confirmation.reference_label, confirmation.reference)])
    pdf.ln(8)
    pdf.set_draw_color(*_RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(0, 4, confirmation.footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _lines(pdf: FPDF, lines: Sequence[tuple[str, str]]) -> None:
    """Label on the left, value on the right; a long value wraps within its column."""
    label_width = 55
    for label, value in lines:
        pdf.set_font(FONT, "", 10)
        pdf.set_text_color(*_MUTED)
        top = pdf.get_y()
        pdf.multi_cell(label_width, 7, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(*_INK)
        pdf.multi_cell(0, 7, value or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + 7))
