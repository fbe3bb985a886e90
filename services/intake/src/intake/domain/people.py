"""What makes two requests look like the same person to the employer: name and birth date."""

import re
import unicodedata

# Letters NFKD does not decompose into a base letter and a mark.
_FOLDED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d"}
)
_SEPARATORS = re.compile(r"[\s'’ʼ\-‐]+")


def fold(text: str) -> str:
    """Lower case without accents, separators as single spaces: Müller-Łukasz → muller lukasz."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDED))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare.translate(_FOLDED)).strip()


def person_key(surnames: str | None, given_names: str | None, birth_date: str | None) -> str | None:
    """Name tokens in any order (so a swapped name matches) and the birth date; None without."""
    tokens = sorted(fold(f"{surnames or ''} {given_names or ''}").split())
    if not tokens or not birth_date:
        return None
    return f"{' '.join(tokens)}|{birth_date}"
