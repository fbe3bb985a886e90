"""What the matching benchmarks share: a registry database, and requests corrupted the way real
ones are (typos, transliteration, swapped names, missing given names, date slips, renewals)."""

import contextlib
import os
import random
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path

import asyncpg

from devstack.databases import create_fresh_database, to_asyncpg_dsn
from devstack.postgres import DISPOSABLE, EmbeddedPostgres
from devstack.system import migrate
from matching.domain import Person

EXTENSIONS = ("pg_trgm", "fuzzystrmatch", "unaccent")


@contextlib.asynccontextmanager
async def registry_database(admin_url: str | None, *, keep: bool = False) -> AsyncIterator[str]:
    """A fresh migrated matching database on the given server (or an embedded one)."""
    admin_url = admin_url or os.environ.get("IDPRO_POSTGRES_URL")
    with contextlib.ExitStack() as stack:
        if not admin_url:
            root = Path(tempfile.mkdtemp(prefix="idpro-bench-pg-"))
            stack.callback(shutil.rmtree, root, ignore_errors=True)
            server = stack.enter_context(
                EmbeddedPostgres(data_dir=root / "data", settings=DISPOSABLE)
            )
            admin_url = server.admin_url
        url = await create_fresh_database(admin_url, "matching_bench", extensions=EXTENSIONS)
        migrate("matching", url)
        try:
            yield url
        finally:
            if not keep:
                name = url.rsplit("/", 1)[1]
                admin = await asyncpg.connect(to_asyncpg_dsn(admin_url))
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()


def ascii_fold(text: str) -> str:
    """Accents dropped, as a keyboard without them types the name."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ı", "i").replace("İ", "I")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


_TRANSLIT = (
    ("ü", "ue"),
    ("ö", "oe"),
    ("ä", "ae"),
    ("kh", "h"),
    ("y", "i"),
    ("ii", "iy"),
    ("sz", "sh"),
    ("ś", "s"),
    ("ș", "s"),
    ("ț", "t"),
    ("ç", "c"),
    ("ğ", "g"),
    ("iu", "yu"),
    ("ia", "ya"),
    ("ch", "tch"),
)


def transliterate(rng: random.Random, text: str) -> str:
    """Another Latin spelling of the same name (one scheme's rule swapped for another's)."""
    rules = [(a, b) for a, b in _TRANSLIT if a in text.lower()]
    if not rules:
        return ascii_fold(text)
    a, b = rng.choice(rules)
    return text.replace(a, b).replace(a.capitalize(), b.capitalize())


def typo(rng: random.Random, text: str) -> str:
    """One keying error: a letter replaced, dropped, doubled or two letters swapped."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice("aeinorstl") + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _swap_day_month(p: Person) -> Person:
    d = p.birth_date or ""
    if len(d) == 10 and int(d[8:]) <= 12 and d[5:7] != d[8:]:
        return replace(p, birth_date=f"{d[:4]}-{d[8:]}-{d[5:7]}")
    return p


def _drop_given(p: Person) -> Person:
    names = p.given_names.split()
    return replace(p, given_names=" ".join(names[:-1])) if len(names) > 1 else p


CORRUPTIONS: dict[str, Callable[[random.Random, Person], Person]] = {
    "typo_surname": lambda r, p: replace(p, surnames=typo(r, p.surnames)),
    "typo_given": lambda r, p: replace(p, given_names=typo(r, p.given_names)),
    "transliteration": lambda r, p: replace(
        p, surnames=transliterate(r, p.surnames), given_names=transliterate(r, p.given_names)
    ),
    "accents_dropped": lambda r, p: replace(
        p, surnames=ascii_fold(p.surnames), given_names=ascii_fold(p.given_names)
    ),
    "swapped_names": lambda r, p: replace(p, surnames=p.given_names, given_names=p.surnames),
    "missing_given_name": lambda r, p: _drop_given(p),
    "day_month_swapped": lambda r, p: _swap_day_month(p),
    "partial_date": lambda r, p: replace(
        p, birth_date=(p.birth_date or "")[: r.choice((4, 7))] or None
    ),
    "no_birth_place": lambda r, p: replace(p, birth_place=None),
    "renewed_document": lambda r, p: (
        replace(p, document_number=f"R{r.randrange(10**7):07d}") if p.document_number else p
    ),
}


def corrupt(rng: random.Random, person: Person) -> tuple[Person, list[str]]:
    """The person as an employer might type them: zero to two corruptions."""
    names = rng.sample(sorted(CORRUPTIONS), k=rng.choice((0, 1, 1, 2, 2)))
    for name in names:
        person = CORRUPTIONS[name](rng, person)
    return person, names


def as_request(person: Person, *, rng: random.Random) -> Person:
    """A registry person as a request holds them: living abroad, a document one time in three."""
    with_document = rng.random() < 0.3
    return replace(
        person,
        has_foreign_residence=True,
        document_type=person.document_type if with_document else None,
        document_number=person.document_number if with_document else None,
        document_country=person.document_country if with_document else None,
    )
