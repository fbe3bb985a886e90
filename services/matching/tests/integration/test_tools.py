"""The command-line tools on a real database: malformed rows are skipped with their reason."""

import csv

from sqlalchemy import select

from matching.domain.bis import check_digits
from matching.tables import PersonAddress, RegistryPerson
from matching.tools.load_csv import load
from matching.tools.match_file import match_file, parse_map

HEADER = [
    "ssin",
    "surnames",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "residence_street",
    "residence_number",
    "residence_postal_code",
    "residence_city",
    "residence_country",
]


def nr(base9: str) -> str:
    return base9 + check_digits(base9, born_2000_or_later=False)


ROWS = [
    # A person with one name, in the given-name field.
    [nr("900402001"), "", "Sukarno", "m", "1990-04-02", "", "ID", "", "", "", "", ""],
    [
        nr("850312002"),
        "Shevchenko",
        "Olena",
        "f",
        "1985-03-12",
        "Kyiv",
        "UA",
        "vul. Khreshchatyk",
        "12",
        "01001",
        "Kyiv",
        "UA",
    ],
    ["12345678901", "Nobody", "Bad", "f", "1980-01-01", "", "", "", "", "", "", ""],
    [nr("850312004"), "Impossible", "Date", "f", "1985-02-30", "", "", "", "", "", "", ""],
    [nr("850312006"), "Wrong", "Country", "f", "1985-03-12", "", "Ukraine", "", "", "", "", ""],
    [nr("850312008"), "", "", "f", "1985-03-12", "", "", "", "", "", "", ""],
]


def write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


async def test_load_csv_takes_either_name_field_and_skips_malformed_rows_with_their_reason(
    tmp_path, database_url, sessions, capsys
):
    source = tmp_path / "persons.csv"
    write(source, HEADER, ROWS)

    loaded = await load(source, database_url=database_url)

    err = capsys.readouterr().err
    assert loaded == 2
    assert "line 4: skipped (ssin" in err and "line 5: skipped (birth_date" in err
    assert "line 6: skipped (nationality" in err and "line 7: skipped (a name is required" in err
    assert "Impossible" not in err and "Ukraine" not in err  # reasons, never values
    async with sessions() as tx:
        people = {p.ssin: p for p in await tx.scalars(select(RegistryPerson))}
        home = await tx.scalar(select(PersonAddress))
    assert (
        people[nr("900402001")].given_names == "Sukarno" and people[nr("900402001")].surnames == ""
    )
    assert (home.street, home.number, home.postal_code, home.city) == (
        "vul. Khreshchatyk",
        "12",
        "01001",
        "Kyiv",
    )


async def test_match_file_reports_and_skips_a_malformed_row_and_goes_on(
    tmp_path, database_url, capsys
):
    registry = tmp_path / "persons.csv"
    write(registry, HEADER, ROWS[1:2])
    await load(registry, database_url=database_url)
    requests = tmp_path / "requests.csv"
    write(
        requests,
        ["Nom", "Prénom", "Né le", "Rue", "No", "CP", "Ville", "Pays"],
        [
            ["Impossible", "Date", "1985-02-30", "", "", "", "", "UA"],
            [
                "Schewtschenko",
                "Olena",
                "1985-03-12",
                "vul. Khreshchatyk",
                "12",
                "01001",
                "Kyiv",
                "UA",
            ],
        ],
    )
    mapping = parse_map(
        "surnames=Nom,given_names=Prénom,birth_date=Né le,residence_street=Rue,"
        "residence_number=No,residence_postal_code=CP,residence_city=Ville,residence_country=Pays"
    )
    target = tmp_path / "out.csv"

    matched, skipped = await match_file(requests, target, mapping, database_url=database_url)

    assert (matched, skipped) == (1, 1)
    assert "line 2: skipped (birth_date" in capsys.readouterr().err
    with target.open(encoding="utf-8") as f:
        out = list(csv.DictReader(f))
    assert out[0]["decision"] == "skipped"
    assert out[1]["decision"] != "new_person" and nr("850312002") in out[1]["candidates"]
