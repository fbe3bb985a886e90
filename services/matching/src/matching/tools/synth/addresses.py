"""Synthetic residence addresses: street, house number, postal code and city, per country.

Streets are built from a country's naming habit and a stem ("ul. Lilas", "Rue des Lilas",
"Strada Lilas"), 40 per city district; postal codes follow the country's format, one per
district. As on a real map, a postal code plus a house number names a few dozen households
(several streets share the code); the street tells them apart.
"""

from dataclasses import dataclass

STREET_STEMS = [
    "Lilas",
    "Roses",
    "Tilleuls",
    "Chenes",
    "Moulin",
    "Gare",
    "Eglise",
    "Ecole",
    "Marche",
    "Fontaine",
    "Verger",
    "Prairie",
    "Source",
    "Pont",
    "Chateau",
    "Colline",
    "Vallee",
    "Bois",
    "Champs",
    "Jardin",
    "Soleil",
    "Lune",
    "Etoile",
    "Pins",
    "Saules",
    "Bouleaux",
    "Erables",
    "Peupliers",
    "Acacias",
    "Lauriers",
    "Cerisiers",
    "Pommiers",
    "Poiriers",
    "Noyers",
    "Vignes",
    "Sapins",
    "Hetres",
    "Fresnes",
    "Ormes",
    "Charmes",
    "Ifs",
    "Houx",
    "Lierre",
    "Mimosas",
    "Violettes",
    "Tulipes",
    "Jonquilles",
    "Iris",
]
_KINDS = {
    "BE": ("Rue des {}", "{}straat", "Avenue des {}", "{}laan", "Place des {}"),
    "FR": ("Rue des {}", "Avenue des {}", "Boulevard des {}"),
    "PL": ("ul. {}", "ulica {}", "al. {}"),
    "RO": ("Strada {}", "Str. {}", "Bulevardul {}"),
    "BG": ("ul. {}", "bul. {}"),
    "PT": ("Rua das {}", "Avenida das {}", "Travessa das {}"),
    "TR": ("{} Sokak", "{} Caddesi", "{} Mahallesi"),
    "MA": ("Rue {}", "Avenue {}", "Derb {}"),
    "UA": ("vul. {}", "vulytsia {}", "prosp. {}"),
    "RU": ("ul. {}", "ulitsa {}", "prospekt {}"),
    "VN": ("Duong {}", "Pho {}"),
    "IT": ("Via {}", "Viale {}", "Piazza {}"),
    "ES": ("Calle {}", "Avenida {}", "Plaza {}"),
}
# Postal code digits per country; PL and PT write theirs in two parts (00-950, 1000-001).
_POSTAL_DIGITS = {"BE": 4, "BG": 4, "RU": 6, "VN": 6, "RO": 6}
_TWO_PART = {"PL": "{:02d}-{:03d}", "PT": "{:04d}-{:03d}"}
DISTRICTS_PER_CITY = 12
STREETS_PER_DISTRICT = 40


@dataclass(frozen=True)
class Residence:
    street: str
    number: str
    postal_code: str
    city: str
    country: str


def residence(country: str, city: str, city_rank: int, u: tuple[float, float, float]) -> Residence:
    """The address drawn by three uniform numbers in one city of `country`."""
    district = int(u[0] * DISTRICTS_PER_CITY)
    street_index = district * STREETS_PER_DISTRICT + int(u[1] * STREETS_PER_DISTRICT)
    kinds = _KINDS.get(country, _KINDS["BE"])
    stem = STREET_STEMS[street_index % len(STREET_STEMS)]
    kind = kinds[(street_index // len(STREET_STEMS)) % len(kinds)]
    second = STREET_STEMS[(street_index * 7 + city_rank) % len(STREET_STEMS)]
    street = kind.format(stem if street_index < len(STREET_STEMS) else f"{stem} {second}")
    number = str(1 + int(u[2] * 200))
    return Residence(street, number, postal_code(country, city_rank, district), city, country)


def postal_code(country: str, city_rank: int, district: int) -> str:
    """A code in the country's format, one per (city, district)."""
    base = 10 + city_rank * 3
    if country in _TWO_PART:
        return _TWO_PART[country].format(base % 100, district * 10 + 1)
    width = _POSTAL_DIGITS.get(country, 5)
    return f"{(base * 100 + district * 10) % 10**width:0{width}d}"
