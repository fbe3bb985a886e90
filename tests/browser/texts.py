"""A check over every text a page or an e-mail shows: no code left untranslated, no other language.

The words of each language come from the catalogues themselves (the gateway's and the notifier's
Babel catalogues, intake's messages, contracts' labels): a page in French must hold none of the
sentences the German, Dutch or English catalogues have for the same message. Short words are
left out (a language name, "Status", "PDF" read the same in several languages).
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
            path = folder / lang / "LC_MESSAGES" / "messages.po"
            if lang == "en":
                path = folder / "fr" / "LC_MESSAGES" / "messages.po"  # the msgids are English
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
    return found


def page_text(page) -> str:
    """What a person reads or hears on the page: the visible text, titles and accessible names."""
    return page.evaluate(
        """() => [document.title, document.body.innerText,
                  ...[...document.querySelectorAll('[aria-label],[title],[alt],[placeholder]')]
                     .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
                                e.getAttribute('alt'), e.getAttribute('placeholder')].join(' '))
                 ].join('\\n')"""
    )


def assert_page_speaks(page, language: str, where: str) -> None:
    found = problems(page_text(page), language)
    assert not found, f"{where} ({language}): " + "; ".join(found)


def assert_mail_speaks(mail, language: str) -> None:
    html = mail.message.get_body(preferencelist=("html",))
    markup = html.get_content() if html is not None else ""
    text = "\n".join([mail.subject, mail.text, re.sub(r"<[^>]+>", " ", markup)])
    found = problems(text, language)
    assert not found, f"e-mail {mail.subject!r} ({language}): " + "; ".join(found)
