"""The four catalogues hold every text the code and templates use, with the same placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from gateway.i18n import LANGUAGES, LOCALES, best_language

SOURCE = Path(__file__).parents[2] / "src" / "gateway"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_messages() -> set[str]:
    found = extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {m[0] if isinstance(m, tuple) else m for _, _, m, _, _ in found if m}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated(language):
    # A plural entry is keyed by its singular and holds one text per plural form.
    translated = {}
    for path in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):  # messages, webhooks
        with path.open("rb") as po:
            translated |= {
                (m.id[0] if isinstance(m.id, tuple) else m.id): (
                    m.string if isinstance(m.string, tuple) else (m.string,),
                    m.id if isinstance(m.id, tuple) else (m.id,),
                )
                for m in read_po(po)
                if m.id
            }

    missing = sorted(m for m in used_messages() if not all(translated.get(m, ((),))[0] or ("",)))
    assert missing == []
    for key, (texts, ids) in translated.items():
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for text in texts:
            assert text and set(PLACEHOLDER.findall(text)) <= wanted, key


def test_accept_language_picks_the_best_supported_language():
    assert best_language("de-CH, fr;q=0.8") == "de"
    assert best_language("es, nl;q=0.5") == "nl"
    assert best_language("ja") == "en"
