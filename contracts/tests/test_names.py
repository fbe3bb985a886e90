"""One fold of names for every service: the letters a passport prints."""

import pytest

from contracts.names import fold, latin


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Müller-Lüdenscheidt", "muller ludenscheidt"),
        ("  ŁUKASZ  Żółć ", "lukasz zolc"),
        ("Straße", "strasse"),
        ("Шевченко Олена", "shevchenko olena"),
        ("Παπαδόπουλος", "papadopoulos"),
        ("O'Brien", "obrien"),
        ("requester-7", "requester 7"),
        (None, ""),
    ],
)
def test_names_fold_to_the_lower_case_letters_a_passport_prints(raw, folded):
    assert fold(raw) == folded


def test_a_cyrillic_name_and_its_passport_spelling_fold_alike():
    assert fold("Дмитрий Иванов") == fold("Dmitrii Ivanov")


def test_another_scheme_can_be_asked_for():
    assert latin("Юлия", cyrillic={"Ю": "YU", "Л": "L", "И": "I", "Я": "YA"}) == "YULIYA"
