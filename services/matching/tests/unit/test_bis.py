"""BIS numbers: check digits, date slots, serial parity, century, fallbacks — all against stdnum."""

from datetime import date
from itertools import islice

import pytest
from stdnum.be import bis as stdnum_bis

from matching.domain.bis import (
    SERIALS,
    BirthDate,
    Slot,
    check_digits,
    compose,
    compose_in,
    date_slots,
    parse_birth_date,
)


def first_slots(birth_date, sex, n=4):
    return [(s.prefix, s.century) for s in islice(date_slots(birth_date, sex=sex), n)]


@pytest.mark.parametrize(
    ("number", "born_2000_or_later"),
    [
        ("98472899765", False),  # stdnum's own BIS examples
        ("01490700185", True),
        ("85073003328", False),  # and its national-number examples: same arithmetic
        ("17073003384", True),
    ],
)
def test_check_digits_match_known_valid_numbers(number, born_2000_or_later):
    assert check_digits(number[:9], born_2000_or_later=born_2000_or_later) == number[9:]


@pytest.mark.parametrize(
    ("base9", "expected"),
    [("000000097", "97"), ("000000096", "01"), ("000000001", "96")],
)
def test_check_digits_are_two_digits_from_01_to_97(base9, expected):
    assert check_digits(base9, born_2000_or_later=False) == expected


def test_check_digits_for_2000_births_are_computed_on_the_2_prefixed_base():
    assert check_digits("010101001", born_2000_or_later=True) == f"{97 - 2010101001 % 97:02d}"
    assert check_digits("010101001", born_2000_or_later=True) != check_digits(
        "010101001", born_2000_or_later=False
    )


@pytest.mark.parametrize("base9", ["12345678", "1234567890", "12345678a"])
def test_check_digits_refuse_a_base_that_is_not_nine_digits(base9):
    with pytest.raises(ValueError):
        check_digits(base9, born_2000_or_later=False)


@pytest.mark.parametrize(
    ("sex", "real_slot"),
    [("male", "904728"), ("female", "904728"), ("unknown", "902728")],
)
def test_month_is_raised_by_40_when_sex_known_and_by_20_when_unknown(sex, real_slot):
    assert first_slots("1990-07-28", sex, n=1) == [(real_slot, 1900)]


@pytest.mark.parametrize(
    ("sex", "good", "bad"),
    [
        ("male", [1, 3, 997], [2, 998, 999]),
        ("female", [2, 4, 998], [1, 997, 1000]),
        ("unknown", [1, 2, 997, 998], [0, 999]),
    ],
)
def test_serial_parity_odd_for_men_even_for_women_any_for_unknown_sex(sex, good, bad):
    slot = next(date_slots("1990-07-28", sex=sex))
    for serial in good:
        assert stdnum_bis.is_valid(compose_in(slot, serial=serial))
    for serial in bad:
        with pytest.raises(ValueError):
            compose_in(slot, serial=serial)


def test_each_sex_has_499_serials_per_slot_and_unknown_sex_998():
    sizes = {sex: len(range(r.first, r.last + 1, r.step)) for sex, r in SERIALS.items()}
    assert sizes == {"male": 499, "female": 499, "unknown": 998}


@pytest.mark.parametrize(
    ("birth_date", "century", "prefix"),
    [
        ("1999-12-31", 1900, "995231"),
        ("2000-01-01", 2000, "004101"),
        ("1900-01-01", 1900, "004101"),
    ],
)
def test_century_follows_the_birth_year_and_stdnum_reads_the_year_back(birth_date, century, prefix):
    slot = next(date_slots(birth_date, sex="male"))
    number = compose_in(slot, serial=1)
    assert (slot.prefix, slot.century) == (prefix, century)
    assert stdnum_bis.get_birth_date(number) == date.fromisoformat(birth_date)


def test_same_day_a_century_apart_gives_different_numbers_from_separate_counters():
    old, new = (
        next(date_slots("1925-03-04", sex="male")),
        next(date_slots("2025-03-04", sex="male")),
    )
    assert old.prefix == new.prefix and old != new
    assert compose_in(old, serial=1) != compose_in(new, serial=1)


@pytest.mark.parametrize(
    ("birth_date", "sex", "expected"),
    [
        (
            "1990-07-28",
            "male",
            [("904728", 1900), ("904000", 1900), ("904001", 1900), ("904002", 1900)],
        ),
        (
            "1990-07",
            "female",
            [("904700", 1900), ("904000", 1900), ("904001", 1900), ("904002", 1900)],
        ),
        ("1990", "male", [("904000", 1900), ("904001", 1900), ("904002", 1900), ("904003", 1900)]),
        (
            "2005-03-09",
            "unknown",
            [("052309", 2000), ("052000", 2000), ("052001", 2000), ("052002", 2000)],
        ),
        (None, "male", [("004001", 1900), ("004001", 2000), ("004002", 1900), ("004002", 2000)]),
        (None, "unknown", [("002001", 1900), ("002001", 2000), ("002002", 1900), ("002002", 2000)]),
    ],
)
def test_slots_go_real_date_then_month_and_day_0000_then_0001_and_so_on(birth_date, sex, expected):
    assert first_slots(birth_date, sex) == expected


def test_slot_chain_never_repeats_a_slot_and_ends_at_day_99():
    for birth_date in ("1990-07-28", "1990-07", "1990", None):
        slots = list(date_slots(birth_date, sex="male"))
        assert len(slots) == len(set(slots))
        assert slots[-1].prefix.endswith("99")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-07-28", BirthDate(1990, 7, 28)),
        ("1990-07", BirthDate(1990, 7)),
        ("1990", BirthDate(1990)),
        ("1990-07-00", BirthDate(1990, 7)),
        ("1990-00-15", BirthDate(1990)),  # a day without a month cannot be written: dropped
        ("0000-07-28", BirthDate()),  # no year: fully unknown
        (None, BirthDate()),
        (date(1990, 7, 28), BirthDate(1990, 7, 28)),
        (BirthDate(None, 7, 28), BirthDate()),
    ],
)
def test_partial_birth_dates_keep_only_their_known_leading_parts(value, expected):
    assert parse_birth_date(value) == expected


@pytest.mark.parametrize("value", ["1899-12-31", "2100", "1990-13", "1990-02-30", "90-07-28", "x"])
def test_birth_dates_that_cannot_be_written_are_refused(value):
    with pytest.raises(ValueError):
        parse_birth_date(value)


def test_a_number_stdnum_would_refuse_is_never_composed():
    with pytest.raises(ValueError):
        compose("994001", serial=1, century=2000)  # 2099: not yet a birth year stdnum accepts


BIRTHS = ["1990-07-28", "1990-07", "1990", "2000-02-29", "2004-11", "2000", "1900-01-01", None]
SEXES = ["male", "female", "unknown"]


@pytest.mark.parametrize("birth_date", BIRTHS)
@pytest.mark.parametrize("sex", SEXES)
def test_every_composed_number_is_a_valid_bis_number_that_decodes_as_intended(birth_date, sex):
    birth, serials = parse_birth_date(birth_date), SERIALS[sex]
    for position, slot in enumerate(islice(date_slots(birth_date, sex=sex), 6)):
        for serial in (serials.first, serials.first + serials.step, serials.last):
            number = compose_in(slot, serial=serial)
            assert stdnum_bis.validate(number) == number
            assert stdnum_bis.get_gender(number) == {"male": "M", "female": "F"}.get(sex)
            assert_birth_date_decodes(number, birth, real_slot=position == 0)


def assert_birth_date_decodes(number: str, birth: BirthDate, *, real_slot: bool) -> None:
    if birth.year is None or number[:6] in ("004001", "002001"):
        return  # unknown, or the 1900/2000 fallback that collides with the fictitious 00.00.01
    assert stdnum_bis.get_birth_year(number) == birth.year
    full = real_slot and birth.day is not None
    expected = date(birth.year, birth.month, birth.day) if full else None
    assert stdnum_bis.get_birth_date(number) == expected
    assert stdnum_bis.get_birth_month(number) == (birth.month if real_slot else None)


def test_the_fictitious_unknown_date_decodes_as_unknown_in_both_centuries():
    for slot in islice(date_slots(None, sex="female"), 2):
        number = compose_in(slot, serial=2)
        assert stdnum_bis.get_birth_year(number) is None


def test_compose_writes_slot_serial_and_check_digits():
    assert compose("984728", serial=997, century=1900) == "98472899765"
    assert compose_in(Slot("014907", 2000, "male"), serial=1) == "01490700185"
