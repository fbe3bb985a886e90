"""The message catalogues translate every string the templates use."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import notifier

PACKAGE = Path(notifier.__file__).parent
OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true"}


def template_messages() -> set[str | tuple[str, ...]]:
    """Every msgid the templates ask for, as the extraction tool sees them."""
    found = extract_from_dir(
        PACKAGE / "templates",
        method_map=[
            ("**.txt", "jinja2.ext:babel_extract"),
            ("**.html", "jinja2.ext:babel_extract"),
        ],
        options_map={"**.txt": OPTIONS, "**.html": OPTIONS},
    )
    return {message for _, _, message, _, _ in found}


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_every_template_string_is_translated_in_the_catalogue(language):
    with (PACKAGE / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)

    for message in template_messages():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        assert entry is not None, f"{language}: no entry for {key!r}"
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(translations) and not entry.fuzzy, f"{language}: untranslated {key!r}"
