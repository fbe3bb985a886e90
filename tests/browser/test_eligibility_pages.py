"""The wizard asks the kind of employment first and refuses, in the user's language, those who
get no number here, with the reason and where to go instead."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOCALES, sign_in
from tests.browser.journey import Journey
from tests.support import new_employer_id

WHERE = {"fr": "Dimona", "nl": "Dimona", "de": "Dimona", "en": "Dimona"}
MUNICIPALITY = {"fr": "commune", "nl": "gemeente", "de": "Gemeinde", "en": "municipality"}


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_job_student_and_an_occasional_farm_worker_are_refused_at_the_first_step(new_page, lang):
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "eligibility")
    sign_in(page, employer=new_employer_id(), user="hr", role="requester")
    page.goto("/requests/new")
    page.locator("form[action='/requests/new'] button").click()
    page.wait_for_url(re.compile(r"/document$"))
    expect(page.locator("#f-employment-employee")).to_be_checked()
    walk.look("employment-asked")
    page.select_option("#f-type", "passport")
    walk.country("#f-issuing_country")

    for kind, words in (("job_student", WHERE), ("occasional_agriculture", MUNICIPALITY)):
        page.check(f"#f-employment-{kind}")
        page.locator("#step-form button.primary").click()
        expect(page.locator("#f-employment-error")).to_contain_text(words[lang])
        walk.look(f"employment-refused-{kind}")

    page.check("#f-employment-employee")
    page.locator("#step-form button.primary").click()
    page.wait_for_url(re.compile(r"/person$"))
