"""A synthetic registry population, drawn in vectorised chunks: names Zipf-like per population,
families and twins, partial birth dates, valid NR and BIS numbers, documents and residences."""

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matching.domain.bis import check_digits
from matching.tools.synth.addresses import Residence, residence
from matching.tools.synth.names import POPULATIONS, Population

MIDDLES = ("", "a", "e", "i", "o", "ar", "el", "in", "ow", "us", "ek", "an", "ur", "is")
ZIPF_EXPONENT = 0.9
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
TWIN_SHARE, SIBLING_SHARE, FORMER_NAME_SHARE, PARTIAL_DATE_SHARE = 0.01, 0.08, 0.05, 0.03
# Relatives filed together mostly still live together: families share one address.
SAME_HOME_SHARE = 0.7


@dataclass(slots=True)
class Synthetic:
    """One synthetic person, as the registry files it."""

    ssin: str
    surnames: str
    given_names: str
    sex: str
    birth_date: str
    birth_place: str
    country: str
    former_surnames: str | None
    document_type: str
    document_number: str
    document_expiry: date
    residence_country: str
    residence_city: str
    residence_street: str = ""
    residence_number: str = ""
    residence_postal_code: str = ""


@dataclass(frozen=True)
class Pools:
    """One population's surnames and given names, with Zipf probabilities."""

    population: Population
    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    places: tuple[str, ...]
    cdfs: dict[int, list[float]] = field(default_factory=dict)

    @classmethod
    def of(cls, pop: Population) -> "Pools":
        rare = tuple(
            f"{s}{m}{e}".replace("_", " ").strip()
            for s in pop.stems
            for m in MIDDLES
            for e in pop.endings
        )
        common = tuple(s.replace("_", " ") for s in pop.surnames)
        return cls(
            pop,
            common + tuple(dict.fromkeys(r for r in rare if r not in common)),
            pop.male,
            pop.female,
            tuple(p.replace("_", " ") for p in pop.places),
        )

    def pick(self, names: tuple[str, ...], u: float) -> str:
        """The name at a Zipf-drawn rank: probability proportional to 1/(rank+1)^s."""
        cdf = self.cdfs.get(len(names))
        if cdf is None:
            weights = np.cumsum(1.0 / np.arange(1, len(names) + 1) ** ZIPF_EXPONENT)
            cdf = self.cdfs[len(names)] = list(weights / weights[-1])
        return names[min(bisect.bisect(cdf, u), len(names) - 1)]


class Generator:
    """Draws chunks of persons; numbers stay unique across chunks (counters per date and sex)."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = np.random.default_rng(seed)
        self.draw = random.Random(seed).random  # scalar draws: far cheaper than numpy's
        self.pools = [Pools.of(p) for p in POPULATIONS]
        shares = np.array([p.share for p in POPULATIONS])
        self.shares = shares / shares.sum()
        self.counters: dict[tuple[str, int, str], int] = {}

    def chunks(self, count: int, *, size: int = 100_000) -> Iterator[list[Synthetic]]:
        for start in range(0, count, size):
            yield self.chunk(min(size, count - start))

    def chunk(self, n: int) -> list[Synthetic]:
        rng = self.rng
        pop = rng.choice(len(self.pools), size=n, p=self.shares)
        male = rng.random(n) < 0.5
        year = np.clip(np.round(rng.normal(1984, 11, n)), 1945, 2006).astype(int)
        month = rng.integers(1, 13, n)
        day = 1 + (rng.random(n) * _DAYS[month - 1]).astype(int)
        draws = rng.random((n, 8))
        rows = [
            self._person(
                self.pools[pop[i]],
                bool(male[i]),
                int(year[i]),
                int(month[i]),
                int(day[i]),
                draws[i],
            )
            for i in range(n)
        ]
        self._relate(rows, rng)
        return [self._numbered(r) for r in rows]

    def _person(
        self, pools: Pools, male: bool, year: int, month: int, day: int, u: np.ndarray
    ) -> dict:
        pop = pools.population
        surname = self._surname(pools, male)
        if pop.code in ("ES", "PT") and u[0] < 0.7:
            surname = f"{surname} {self._surname(pools, male)}"
        birth = f"{year:04d}-{month:02d}-{day:02d}"
        if pop.code != "BE" and u[1] < PARTIAL_DATE_SHARE:
            birth = birth[:7] if u[1] < PARTIAL_DATE_SHARE / 2 else birth[:4]
        bis = u[2] >= pop.national_register
        return {
            "home": self._home(pools, bis),
            "pop": pop,
            "male": male,
            "surnames": surname,
            "given": self._given(pools, male, u[3]),
            "birth": birth,
            "place": pools.pick(pools.places, self.draw()),
            "former": self._surname(pools, False)
            if not male and u[4] < FORMER_NAME_SHARE
            else None,
            "bis": bis,
            "u": u,
        }

    def _home(self, pools: Pools, bis: bool) -> Residence:
        """A residence abroad (in the population's country) for BIS persons, in Belgium else."""
        home = pools if bis else self.pools[0]
        rank = min(int(self.draw() ** 1.5 * len(home.places)), len(home.places) - 1)
        u = (self.draw(), self.draw(), self.draw())
        return residence(home.population.code, home.places[rank], rank, u)

    def _surname(self, pools: Pools, male: bool) -> str:
        name = pools.pick(pools.surnames, self.draw())
        endings = pools.population.female_endings
        if not male and endings:
            for ending, female in endings.items():
                if name.endswith(ending):
                    return name[: -len(ending)] + female
        return name

    def _given(self, pools: Pools, male: bool, u: float) -> str:
        pool, pop = (pools.male if male else pools.female), pools.population
        count = 1 + int(u >= pop.given_count[0]) + int(u >= pop.given_count[0] + pop.given_count[1])
        names = dict.fromkeys(pools.pick(pool, self.draw()) for _ in range(count))
        given = " ".join(names)
        return f"{pop.middle[0 if male else 1]} {given}" if pop.middle else given

    def _relate(self, rows: list[dict], rng: np.random.Generator) -> None:
        """Twins (same surname, date, place) and siblings (same surname and place, other year)."""
        kin = rng.random(len(rows))
        for i in range(1, len(rows)):
            src, row = rows[i - 1], rows[i]
            if kin[i] >= TWIN_SHARE + SIBLING_SHARE:
                continue
            # Gendered surnames (Kowalski/Kowalska): a relative of the other sex would need the
            # other form, so relatives there share the sex.
            male = src["male"] if src["pop"].female_endings else row["male"]
            row.update(
                pop=src["pop"],
                surnames=src["surnames"],
                place=src["place"],
                bis=src["bis"],
                male=male,
                given=self._given(self.pools[self._index(src["pop"])], male, self.draw()),
            )
            if self.draw() < SAME_HOME_SHARE:
                row["home"] = src["home"]
            if kin[i] < TWIN_SHARE:
                row["birth"] = src["birth"]
            elif len(src["birth"]) == 10:
                gap = int(rng.integers(1, 9)) * (1 if rng.random() < 0.5 else -1)
                row["birth"] = f"{int(src['birth'][:4]) + gap:04d}{src['birth'][4:]}"

    def _index(self, pop: Population) -> int:
        return next(i for i, p in enumerate(self.pools) if p.population is pop)

    def _numbered(self, row: dict) -> Synthetic:
        pop, u, birth = row["pop"], row["u"], row["birth"]
        sex = "male" if row["male"] else "female"
        letters = "".join(chr(65 + int(x * 26)) for x in u[5:7])
        digits = f"{int(u[7] * 10**9):09d}"
        doc = (
            (pop.document, f"{digits}{int(u[6] * 1000):03d}")
            if pop.code == "BE"
            else ("passport", f"{letters}{digits[:7]}")
        )
        home = row["home"]
        return Synthetic(
            ssin=self._number(birth, sex, bis=row["bis"]),
            surnames=row["surnames"],
            given_names=row["given"],
            sex=sex,
            birth_date=birth,
            birth_place=row["place"],
            country=pop.code,
            former_surnames=row["former"],
            document_type=doc[0],
            document_number=doc[1],
            document_expiry=date(2026 + int(u[0] * 9), 1 + int(u[1] * 12), 1 + int(u[2] * 28)),
            residence_country=home.country,
            residence_city=home.city,
            residence_street=home.street,
            residence_number=home.number,
            residence_postal_code=home.postal_code,
        )

    def _number(self, birth: str, sex: str, *, bis: bool) -> str:
        """The next free NR or BIS number for this date and sex (month+40 for BIS)."""
        year, month, day = int(birth[:4]), int(birth[5:7] or 0), int(birth[8:10] or 0)
        prefix = f"{year % 100:02d}{month + (40 if bis else 0):02d}{day:02d}"
        key = (prefix, year, sex)
        serial = self.counters.get(key, -1 if sex == "male" else 0) + 2  # men odd, women even
        if serial > 998:
            raise ValueError("registry too dense for one birth date: use fewer persons")
        self.counters[key] = serial
        base = f"{prefix}{serial:03d}"
        return base + check_digits(base, born_2000_or_later=year >= 2000)
