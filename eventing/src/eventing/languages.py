"""The four languages of idpro, and the best of them for an Accept-Language header."""

from contracts import LANGUAGES

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "best_language"]

DEFAULT_LANGUAGE = "en"


def best_language(accept_language: str | None, *, supported: tuple[str, ...] = LANGUAGES) -> str:
    """Highest quality first, then the header's order; the primary subtag decides (nl-BE is nl)."""
    weighted = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weighted.append((-float(quality or 1), position, tag.strip()[:2].lower()))
        except ValueError:
            continue
    return next((tag for _, _, tag in sorted(weighted) if tag in supported), DEFAULT_LANGUAGE)
