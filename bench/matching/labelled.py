"""The labelled set: requests about registry persons, and hard negatives who are not filed.

Drawn apart from the registry: the registry is what `matching.generate` files; each case here is a
request an employer might send, built from a person's true data (a registry person, a relative or
a namesake who is *not* in the registry, or a stranger), then corrupted (`corruption.corrupt`).
The truth is known by construction: the registry number of the person, or None.

Hard negatives, each the same world as a registry person: a twin (same surname, birth date,
place and home, another given name), a sibling (same surname, place and home, born 1-8 years
apart), a namesake born the same year (same names, another day, place and home) and a member of
the family at one address (same home, another given name and age, often the same surname).
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from bench.matching.corruption import BY_CODE, POPULATIONS, Record, corrupt
from contracts import Address, IdentityDocument, RequestData
from contracts import Person as RequestPerson
from matching.tools.synth.addresses import residence
from matching.tools.synth.population import Generator, Synthetic

# Shares of the labelled set (the rest are requests about registry persons).
NEGATIVES = (("twin", 0.06), ("sibling", 0.06), ("namesake", 0.06), ("housemate", 0.06))
STRANGERS = 0.16
# What a request carries: everything with a document scan, everything but the document number,
# or only names, birth date and residence (the profile of the external benchmark in issue 10).
PROFILES = (("full", 0.45), ("no_document", 0.30), ("sparse", 0.25))


@dataclass(frozen=True)
class Case:
    data: RequestData
    truth: str | None  # the registry number of the person asked about; None: not filed
    kind: str  # known | twin | sibling | namesake | housemate | stranger
    corruptions: tuple[str, ...]
    profile: str


def record_of(s: Synthetic) -> Record:
    return Record(
        surnames=s.surnames,
        given_names=s.given_names,
        sex=s.sex,
        birth_date=s.birth_date,
        birth_place=s.birth_place,
        birth_country=s.country,
        nationality=s.country,
        document_type=s.document_type,
        document_number=s.document_number,
        document_country=s.country,
        street=s.residence_street,
        number=s.residence_number,
        postal_code=s.residence_postal_code,
        city=s.residence_city,
        country=s.residence_country,
    )


def _stem(name: str) -> str:
    return name.lower()[:3]


def other_given(rng: random.Random, r: Record, *, sex: str | None = None) -> str:
    """A given name sharing no name (nor its first three letters) with the record's."""
    pop = BY_CODE.get(r.nationality or "", POPULATIONS[0])
    sex = sex or r.sex
    taken = {_stem(n) for n in r.given_names.split()}
    pool = [n for n in (pop.male if sex == "male" else pop.female) if _stem(n) not in taken]
    return rng.choice(pool) if pool else r.given_names + "a"


def _new_document(rng: random.Random, r: Record) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + str(
        rng.randrange(10**6, 10**7)
    )


def _date(rng: random.Random, year: int) -> str:
    month = rng.randrange(1, 13)
    return f"{year:04d}-{month:02d}-{rng.randrange(1, 29):02d}"


def relative(rng: random.Random, r: Record, kind: str) -> Record:
    """A person who is not in the registry but looks like `r` the way `kind` says."""
    year = int((r.birth_date or "1985")[:4])
    gendered = bool(BY_CODE.get(r.nationality or "", POPULATIONS[0]).female_endings)
    sex = r.sex if gendered else rng.choice(("male", "female"))
    doc = _new_document(rng, r) if r.document_number else None
    if kind == "twin":
        return replace(r, given_names=other_given(rng, r, sex=sex), sex=sex, document_number=doc)
    if kind == "sibling":
        born = _date(rng, year + rng.choice((-1, 1)) * rng.randrange(1, 9))
        given = other_given(rng, r, sex=sex)
        return replace(r, given_names=given, sex=sex, birth_date=born, document_number=doc)
    if kind == "namesake":
        pop = BY_CODE.get(r.nationality or "", POPULATIONS[0])
        born = _date(rng, year)
        while born[:7] == (r.birth_date or "")[:7]:
            born = _date(rng, year)
        home_pop = BY_CODE.get(r.country, POPULATIONS[0])
        rank = rng.randrange(len(home_pop.places))
        far = residence(
            r.country, home_pop.places[rank], rank, (rng.random(), rng.random(), rng.random())
        )
        return replace(
            r,
            birth_date=born,
            birth_place=rng.choice([p for p in pop.places if p != r.birth_place] or pop.places),
            document_number=doc,
            street=far.street,
            number=far.number,
            postal_code=far.postal_code,
            city=far.city,
        )
    # housemate: the partner, a parent or a grown child at the same address
    partner_sex = "female" if r.sex == "male" else "male"
    sex = r.sex if gendered else partner_sex
    pop = BY_CODE.get(r.nationality or "", POPULATIONS[0])
    surname = r.surnames if rng.random() < 0.6 else rng.choice(pop.surnames).replace("_", " ")
    born = _date(rng, year + rng.choice((-1, 1)) * rng.randrange(2, 30))
    given = other_given(rng, r, sex=sex)
    return replace(
        r, surnames=surname, given_names=given, sex=sex, birth_date=born, document_number=doc
    )


def request_data(r: Record, profile: str) -> RequestData:
    """The record as a submitted request holds it, trimmed to the profile."""
    sparse = profile == "sparse"
    document = (
        IdentityDocument(
            type=r.document_type, number=r.document_number, issuing_country=r.document_country
        )
        if profile == "full" and r.document_number and r.document_type
        else None
    )
    person = RequestPerson(
        surnames=r.surnames or r.given_names,
        given_names=r.given_names or None,
        sex="unknown" if sparse else r.sex,
        birth_date=r.birth_date,
        birth_place=None if sparse else r.birth_place,
        birth_country=None if sparse else r.birth_country,
        nationality=None if sparse else r.nationality,
        document=document,
    )
    residence = Address(
        street=r.street, number=r.number, postal_code=r.postal_code, city=r.city, country=r.country
    )
    return RequestData(person=person, residence=residence)


def _identity(r: Record) -> tuple:
    """Names, birth date and birth place as written, case and spacing aside."""
    return tuple(
        " ".join((v or "").lower().split())
        for v in (r.surnames, r.given_names, r.birth_date, r.birth_place)
    )


def _names_the_twin(record: Record, registry: Synthetic) -> bool:
    """True when a twin's corrupted request carries only given names of the registry twin.

    A given name added and the twin's own dropped can turn "Ewa" into "Anna", the registry
    twin's name: with surname, date, place and home shared, the request then *is* the other
    twin's data, and no comparison can tell it apart; such a case labels noise, not the matcher.
    """
    mine = set(record.given_names.lower().split())
    return bool(mine) and mine <= set(registry.given_names.lower().split())


def _pick(rng: random.Random, shares) -> str:
    return rng.choices([name for name, _ in shares], weights=[w for _, w in shares])[0]


def cases_for_chunk(rng: random.Random, chunk: list[Synthetic], count: int) -> Iterator[Case]:
    """`count` cases about persons of one registry chunk (known persons and their look-alikes)."""
    negatives = sum(w for _, w in NEGATIVES)
    known_share = 1 - negatives - STRANGERS
    filed = {_identity(record_of(p)) for p in chunk}
    for s in rng.sample(chunk, count):
        base = record_of(s)
        draw = rng.random() * (known_share + negatives)
        kind, truth = "known", s.ssin
        if draw >= known_share:
            kind, truth = _pick(rng, NEGATIVES), None
            base = relative(rng, base, kind)
        record, applied = corrupt(rng, base)
        for _ in range(10):
            if truth is None and _identity(record) in filed:
                # A look-alike whose request became a filed person's own names, date and
                # birth place (a twin given the name of a sibling born a year later, the year
                # then slipped): that person is the right answer, not a wrong match.
                record, applied = corrupt(rng, base)
                continue
            if not (kind == "twin" and _names_the_twin(record, s)):
                break
            record, applied = corrupt(rng, base)
        profile = _pick(rng, PROFILES)
        yield Case(request_data(record, profile), truth, kind, applied, profile)


def strangers(rng: random.Random, count: int, *, seed: int) -> Iterator[Case]:
    """People drawn from another seed: in the registry only by coincidence (never by label)."""
    for s in Generator(seed).chunk(count):
        record, applied = corrupt(rng, record_of(s))
        profile = _pick(rng, PROFILES)
        yield Case(request_data(record, profile), None, "stranger", applied, profile)
