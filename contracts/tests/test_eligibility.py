"""Who can get a number here: the refusals, the Belgian rule and the legal working age."""

from datetime import date

import pytest

from contracts.codes import EMPLOYMENT_KINDS, REJECT_REASONS
from contracts.eligibility import is_belgian, possibly_under_working_age, refusal

ON = date(2026, 12, 2)


def test_job_students_and_occasional_farm_workers_are_refused_with_a_reason_of_their_own():
    assert refusal("job_student") == "job_student"
    assert refusal("occasional_agriculture") == "occasional_agriculture_worker"
    assert {refusal(kind) for kind in EMPLOYMENT_KINDS} - {None} <= set(REJECT_REASONS)


def test_an_ordinary_employment_and_an_older_client_that_did_not_say_are_not_refused():
    assert refusal("employee") is None
    assert refusal(None) is None


def test_belgian_nationality_or_a_belgian_main_residence_makes_a_national_register_person():
    assert is_belgian(nationality="BE", residence_country="PL")
    assert is_belgian(nationality="PL", residence_country="BE")
    assert not is_belgian(nationality="PL", residence_country="PL")
    assert not is_belgian(nationality=None, residence_country="DE")


@pytest.mark.parametrize(
    ("birth_date", "under"),
    [
        ("2011-12-02", False),  # fifteen today
        ("2011-12-03", True),  # fifteen tomorrow
        ("2011-11", False),  # fifteen whatever the day of November
        ("2011-12", True),  # maybe born after the 2nd
        ("2011", True),  # maybe born in December
        ("2010", False),
        ("1990-04-02", False),
        (None, False),
    ],
)
def test_a_worker_is_possibly_under_the_working_age_when_the_latest_birth_date_allowed_is(
    birth_date, under
):
    assert possibly_under_working_age(birth_date, on=ON) is under
