"""A check over every text a page or an e-mail shows: no code left untranslated, no other language.

The words of each language come from the catalogues themselves (every .po file of the gateway's
and the notifier's Babel catalogues, intake's messages, contracts' labels): a page in French must
hold none of the sentences the German, Dutch or English catalogues have for the same message.
Short words are left out (a language name, "Status", "PDF" read the same in several languages).
A page not in English must not show the browser's own English either: a native file input drawn
as Chromium draws it ("Choose File", "No file chosen"), or a control Chromium names itself.
"""

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from contracts.labels import LABELS
from intake.texts import MESSAGES as INTAKE_MESSAGES

ROOT = Path(__file__).parents[2]
CATALOGUES = {
    "gateway": ROOT / "services/gateway/src/gateway/locales",
    "notifier": ROOT / "services/notifier/src/notifier/locales",
}
LANGUAGES = ("fr", "nl", "de", "en")
# A code as services write them: snake_case words (full_birth_date); message keys (mid.not_met,
# validation.invalid) are looked for by name.
CODE = re.compile(r"(?<![\w@./:-])[a-z]+(?:_[a-z]+)+(?![\w@.-])")
KEYS = re.compile(
    r"(?<![\w@./-])(?:"
    + "|".join(re.escape(k) for k in sorted(INTAKE_MESSAGES, key=len, reverse=True))
    + r"|review\.[a-z_]+|request\.[a-z_]+|validation\.[a-z_]+)(?![\w-])"
)
# Long enough to be a phrase of one language, not a word several share.
MIN_PHRASE = 14
# What Chromium itself writes in a native file input (its button and its status), in the
# browser's own language: on a page in another language, a control of the page's must show instead.
BROWSER_TEXTS = ("Choose File", "Choose Files", "No file chosen", "No files chosen")
# A native file input that is drawn (not visually hidden): its button and status are the browser's.
DRAWN_FILE_INPUTS = """() => [...document.querySelectorAll('input[type=file]')].filter(e => {
  const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return box.width > 2 && box.height > 2 && style.visibility !== 'hidden'
    && style.opacity !== '0' && style.clipPath === 'none' && style.clip === 'auto';
}).map(e => e.id || e.name)"""


def _phrases(text: str) -> list[str]:
    """The fixed parts of a message: placeholders cut it into pieces that must appear as is."""
    pieces = re.split(r"%\(\w+\)s|\{\w+\}", text)
    return [p.strip(" .,:;!?()«»“”„‘’'\"—–-") for p in pieces]


@cache
def vocabulary() -> dict[str, set[str]]:
    """Per language, the phrases of every message in that language."""
    words: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for folder in CATALOGUES.values():
        for lang in LANGUAGES:
            # Every catalogue file (messages, casework, access, ...); the msgids are English.
            for path in sorted(
                (folder / ("fr" if lang == "en" else lang) / "LC_MESSAGES").glob("*.po")
            ):
                with path.open("rb") as po:
                    for message in read_po(po):
                        if not message.id:
                            continue
                        source = message.id if lang == "en" else message.string
                        for text in source if isinstance(source, tuple) else (source,):
                            words[lang].update(_phrases(text))
    for texts in [*INTAKE_MESSAGES.values(), *(t for g in LABELS.values() for t in g.values())]:
        for lang in LANGUAGES:
            words[lang].update(_phrases(texts[lang]))
    return words


@cache
def foreign(language: str) -> frozenset[str]:
    """Phrases of the other languages that this language does not share."""
    own = vocabulary()[language]
    others = set().union(*(vocabulary()[lang] for lang in LANGUAGES if lang != language))
    return frozenset(p for p in others - own if len(p) >= MIN_PHRASE and " " in p)


def problems(text: str, language: str) -> list[str]:
    """What is wrong with a text shown in `language`: raw codes, and other languages' phrases."""
    codes = set(CODE.findall(text)) | set(KEYS.findall(text))
    found = [f"untranslated code {code!r}" for code in sorted(codes)]
    flat = " ".join(text.split())
    found += [
        f"{language} text holds {phrase!r}"
        for phrase in sorted(foreign(language))
        if phrase in flat
    ]
    if language != "en":
        found += [f"{language} text holds the browser's {t!r}" for t in BROWSER_TEXTS if t in flat]
    return found


def page_text(page) -> str:
    """What a person reads or hears on the page: the visible text, titles and accessible names
    (the attributes, and the names and descriptions Chromium computes for its accessibility tree:
    a control without a label of the page's is named by the browser, "Choose File")."""
    written = page.evaluate(
        """() => [document.title, document.body.innerText,
                  ...[...document.querySelectorAll('[aria-label],[title],[alt],[placeholder]')]
                     .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
                                e.getAttribute('alt'), e.getAttribute('placeholder')].join(' '))
                 ].join('\\n')"""
    )
    return "\n".join([written, *accessible_names(page)])


def accessible_names(page) -> list[str]:
    """The name and description of every node of the page's accessibility tree."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [
        str(node[part]["value"])
        for node in nodes
        if not node.get("ignored")
        for part in ("name", "description")
        if node.get(part, {}).get("value")
    ]


def drawn_file_inputs(page) -> list[str]:
    return page.evaluate(DRAWN_FILE_INPUTS)


def assert_page_speaks(page, language: str, where: str) -> None:
    found = problems(page_text(page), language)
    if language != "en":
        found += [
            f"native file input {name!r} shows the browser's {' / '.join(BROWSER_TEXTS[::2])}"
            for name in drawn_file_inputs(page)
        ]
    assert not found, f"{where} ({language}): " + "; ".join(found)


def assert_mail_speaks(mail, language: str) -> None:
    html = mail.message.get_body(preferencelist=("html",))
    markup = html.get_content() if html is not None else ""
    text = "\n".join([mail.subject, mail.text, re.sub(r"<[^>]+>", " ", markup)])
    found = problems(text, language)
    assert not found, f"e-mail {mail.subject!r} ({language}): " + "; ".join(found)
