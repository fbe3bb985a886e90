"""Babel catalogues (fr, nl, de, en) compiled in memory at start; the language of each request."""

from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from eventing.languages import LANGUAGES, best_language

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).parent / "locales"
COOKIE = "idpro_lang"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:  # noqa: N802 - the name Babel extracts
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def catalogue(language: str) -> Translations:
    """The compiled catalogue of one language: messages.po, then the pages' own .po files
    (webhooks.po: the admin pages of the webhooks service), read once."""
    folder = LOCALES / language / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        parsed = read_po(po, locale=language)
    for extra in sorted(folder.glob("*.po")):
        if extra.name != "messages.po":
            with extra.open("rb") as po:
                for message in read_po(po, locale=language):
                    known = parsed.get(message.id) if message.id else None
                    if message.id and not (known and known.string):  # messages.po wins
                        parsed[message.id] = message
    compiled = BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    return Translations(fp=compiled)


def gettext(message: str) -> str:
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current.get()).ngettext(singular, plural, n)


def current_language() -> str:
    return _current.get()


def language_of(connection: HTTPConnection) -> str:
    """The session's choice, else the cookie's, else Accept-Language."""
    chosen = connection.session.get("lang") if "session" in connection.scope else None
    chosen = chosen or connection.cookies.get(COOKIE)
    return (
        chosen if chosen in LANGUAGES else best_language(connection.headers.get("accept-language"))
    )


class LanguageMiddleware:
    """Sets the request's language for templates and messages (runs inside the session)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _current.set(language_of(HTTPConnection(scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
