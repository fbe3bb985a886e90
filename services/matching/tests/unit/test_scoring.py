"""Field-by-field Fellegi–Sunter scoring of a request against registry candidates."""

import pytest

from matching.domain import Level, Person, date_agreement, score
from matching.domain.compare import name_level
from matching.domain.normalise import normalise_name
from matching.domain.scoring import weight

from .people import person


def level_of(a: str, b: str) -> Level:
    return name_level(normalise_name(a), normalise_name(b))


def levels(request: Person, candidate: Person) -> dict[str, Level]:
    return {a.field: a.level for a in score(request, candidate, candidate_id="c").agreements}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Müller", "MUELLER", Level.EQUIVALENT),
        ("Müller", "MULLER", Level.EXACT),
        ("Łukasz", "LUKASZ", Level.EXACT),
        ("Иванов", "IVANOV", Level.EXACT),
        ("Дмитрий", "DMITRII", Level.EXACT),
        ("Дмитрий", "DMITRIY", Level.EQUIVALENT),
        ("Παπαδόπουλος", "PAPADOPOULOS", Level.EXACT),
        ("Yılmaz", "YILMAZ", Level.EXACT),
        ("Van der Berg", "VANDERBERG", Level.EXACT),
        ("Van der Berg", "van den Berg", Level.EQUIVALENT),
        ("al-Hassan", "HASSAN", Level.EQUIVALENT),
        ("Maria Anna", "Anna Maria", Level.EXACT),
        ("Anna", "Anna Maria", Level.SUBSET),
        ("García", "García-López", Level.SUBSET),
        ("Katarzyna", "Katarzyma", Level.SIMILAR),
        ("Anna", "Ewa", Level.DISAGREE),
        ("Anna", "", Level.MISSING),
    ],
)
def test_name_levels_on_hard_cases(a, b, expected):
    assert level_of(a, b) is expected


def test_a_cyrillic_request_agrees_with_its_passport_latin_form():
    request = person("Иванов", "Дмитрий", birth_country="RU", nationality="RU")
    for latin in ("DMITRII", "DMITRIY"):
        candidate = person("IVANOV", latin, birth_country="RU", nationality="RU")

        found = levels(request, candidate)

        assert found["surname"] is Level.EXACT
        assert found["given_names"] in (Level.EXACT, Level.EQUIVALENT)


def test_swapped_surname_and_given_names_still_agree_with_a_small_penalty():
    swapped = score(person("Jan", "Kowalski"), person(), candidate_id="c")
    straight = score(person(), person(), candidate_id="c")

    assert swapped.level("name_order") is Level.SWAPPED
    assert swapped.level("surname") is Level.EXACT
    assert 0 < straight.weight - swapped.weight <= 1.5


def test_a_missing_second_given_name_is_first_of_several_not_a_disagreement():
    found = levels(person(given_names="Jan"), person(given_names="Jan Paweł"))
    added = levels(person(given_names="Jan Paweł"), person(given_names="Jan"))

    assert found["given_names"] is added["given_names"] is Level.FIRST_OF_SEVERAL


def test_one_name_found_after_the_first_is_only_one_of_several():
    # Ewa Anna asked, Anna filed: the twin Ewa with her sister's name among hers, or a stranger.
    found = levels(person(given_names="Paweł"), person(given_names="Jan Paweł"))
    added = levels(person(given_names="Paweł Jan"), person(given_names="Jan"))

    assert found["given_names"] is added["given_names"] is Level.ONE_OF_SEVERAL


def test_a_missing_third_given_name_is_a_subset():
    found = levels(person(given_names="Jan Paweł"), person(given_names="Jan Paweł Adam"))

    assert found["given_names"] is Level.SUBSET


def test_one_given_name_of_several_weighs_less_than_two_of_three():
    one = weight("given_names", Level.ONE_OF_SEVERAL)

    assert 0 < one < weight("given_names", Level.SUBSET)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1985-07-14", "1985-07-14", Level.EXACT),
        ("1985-07-04", "1985-04-07", Level.DAY_MONTH_SWAPPED),
        ("1985-07-14", "1985-07-15", Level.ONE_DIGIT_OFF),
        ("1985-07-14", "1995-07-14", Level.ONE_DIGIT_OFF),
        ("1989-07-14", "1990-07-14", Level.YEAR_OFF_BY_ONE),  # a year apart, the rest the same
        ("1989-07-14", "1991-07-14", Level.DISAGREE),
        ("1985", "1985-07-14", Level.PARTIAL_COMPATIBLE),
        ("1985-07", "1985-07-14", Level.MONTH_COMPATIBLE),
        ("1985", "1985-07-14", Level.PARTIAL_COMPATIBLE),
        ("1985-00-00", "1985-07-14", Level.PARTIAL_COMPATIBLE),
        ("1985-06", "1985-07-14", Level.YEAR_ONLY),
        ("1985-01-20", "1985-11-03", Level.YEAR_ONLY),
        ("1986", "1985-07-14", Level.DISAGREE),
        ("1970-01-01", "1985-07-14", Level.DISAGREE),
        (None, "1985-07-14", Level.MISSING),
        ("0000-00-00", "1985-07-14", Level.MISSING),
    ],
)
def test_birth_date_agreement_levels(a, b, expected):
    assert date_agreement(a, b) is expected


def test_an_impossible_birth_date_is_refused():
    with pytest.raises(ValueError):
        date_agreement("1990-02-31", "1990-02-28")


def test_exact_agreement_on_a_rare_surname_weighs_more_than_on_a_common_one():
    frequencies = {"NGUYEN": 0.03, "MARTIN": 0.01, "WOJCIECHOWSKI": 0.00002}
    frequency = lambda token: frequencies.get(token, 0.001)  # noqa: E731

    def surname_weight(surname: str) -> float:
        scored = score(person(surname), person(surname), candidate_id="c", frequency=frequency)
        return next(a.weight for a in scored.agreements if a.field == "surname")

    assert surname_weight("Wojciechowski") > surname_weight("Martin") > surname_weight("Nguyen")
    assert surname_weight("Nguyen") > 0


def test_without_frequencies_every_exact_surname_weighs_the_average():
    a = score(person("Nguyen"), person("Nguyen"), candidate_id="a")
    b = score(person("Wojciechowski"), person("Wojciechowski"), candidate_id="b")

    assert a.weight == b.weight


def test_the_same_document_is_strong_evidence():
    doc = dict(document_type="passport", document_number="EK 123456", document_country="PL")
    with_doc = score(
        person(**doc), person(**doc | {"document_number": "EK123456"}), candidate_id="c"
    )

    assert with_doc.level("document") is Level.EXACT
    assert with_doc.weight - score(person(), person(), candidate_id="c").weight > 20


def test_a_renewed_document_weighs_neither_for_nor_against():
    old = dict(document_type="passport", document_number="EK123456", document_country="PL")
    renewed = score(
        person(**old), person(**old | {"document_number": "FA998877"}), candidate_id="c"
    )

    assert renewed.level("document") is Level.DIFFERENT_NUMBER
    assert next(a.weight for a in renewed.agreements if a.field == "document") == 0


def test_documents_of_another_type_or_country_are_not_compared():
    passport = dict(document_type="passport", document_number="EK123456", document_country="PL")
    id_card = passport | {"document_type": "id_card", "document_number": "ABC987654"}

    assert levels(person(**passport), person(**id_card))["document"] is Level.MISSING


def test_missing_fields_weigh_nothing():
    scored = score(Person(surnames="Kowalski"), person(), candidate_id="c")

    assert all(a.weight == 0 for a in scored.agreements if a.level is Level.MISSING)


def test_every_decision_carries_its_field_by_field_explanation():
    scored = score(person(), person(sex="female"), candidate_id="c")

    assert scored.level("sex") is Level.DISAGREE
    assert scored.weight == pytest.approx(sum(a.weight for a in scored.agreements))
    assert {a.field for a in scored.agreements} >= {
        "surname",
        "given_names",
        "birth_date",
        "sex",
        "birth_place",
        "birth_country",
        "nationality",
        "document",
    }


def test_twins_differ_only_in_given_names_and_lose_heavily_there():
    twin = score(person(given_names="Jan"), person(given_names="Piotr"), candidate_id="c")

    assert twin.level("given_names") is Level.DISAGREE
    assert next(a.weight for a in twin.agreements if a.field == "given_names") < -5


def _code_weights(scored) -> tuple[float, float]:
    weights = {a.field: a.weight for a in scored.agreements}
    return weights["birth_country"], weights["nationality"]


def test_country_and_nationality_add_nothing_to_an_agreeing_birth_place():
    # Poznań is in Poland and its people are Polish: the same fact said three times.
    beside_place = score(person(), person(), candidate_id="c")
    without_place = score(person(birth_place=None), person(), candidate_id="c")
    elsewhere = score(person(birth_place="Gdańsk"), person(), candidate_id="c")

    assert _code_weights(beside_place) == (0.0, 0.0)
    assert beside_place.level("birth_country") is Level.EXACT
    assert min(_code_weights(without_place)) > 0 and min(_code_weights(elsewhere)) > 0


def test_a_disagreeing_nationality_still_weighs_against_beside_the_birth_place():
    other = score(person(nationality="DE"), person(), candidate_id="c")

    assert _code_weights(other)[1] < 0
