"""The back-office figures page, in each of the four languages: the share answered at once, the
queue now, the reasons for research, information requests; employers are turned away."""

import pytest
from playwright.sync_api import expect

from contracts import label
from tests.browser.conftest import LOCALES, sign_in
from tests.browser.flows import submit, unique_surname, wait_status
from tests.browser.journey import Journey
from tests.support import Actor, new_employer_id

HEADING = {
    "fr": "Chiffres du back-office",
    "nl": "Cijfers van de backoffice",
    "de": "Kennzahlen des Backoffice",
    "en": "Back-office figures",
}


@pytest.fixture(scope="module")
def a_minor_under_research(system) -> str:
    """A request that goes to research: the worker may be under the legal working age."""
    employer = Actor.sign_in(system)
    request_id = submit(system, employer, surnames=unique_surname(), birth_date="2014-06")
    assert wait_status(system, employer, request_id)["status"] == "under_review"
    return request_id


@pytest.mark.parametrize("lang", list(LOCALES))
def test_an_agent_reads_the_figures_of_the_back_office(new_page, a_minor_under_research, lang):
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "figures")
    sign_in(page, employer=None, user="agent-figures", role="agent")
    page.locator("nav a[href='/review/metrics']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[lang])
    assert int(page.locator("[data-open]").inner_text()) >= 1
    expect(page.locator("[data-share]")).to_contain_text("%")
    reason = label("review_reason", "under_working_age", lang)
    expect(page.locator("#reason-bars")).to_contain_text(reason)
    walk.look("figures-30-days")

    page.select_option("#f-days", "7")
    page.locator("form.filters button").click()
    expect(page.locator("#f-days")).to_have_value("7")
    walk.look("figures-7-days")


def test_a_manager_lands_on_the_figures_and_not_in_the_queue(new_page):
    page = new_page(locale="nl-BE")
    sign_in(page, employer=None, user="manager-figures", role="manager")

    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING["nl"])
    assert page.locator("nav a[href='/review']").count() == 0
    assert page.goto("/review").status == 403


def test_an_employer_cannot_open_the_figures(new_page):
    page = new_page()
    sign_in(page, employer=new_employer_id(), user="hr", role="requester")
    response = page.goto("/review/metrics")
    assert response is not None and response.status == 403
