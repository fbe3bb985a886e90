"""A social secretariat acts in the portal for the employers that mandated it, one at a time, in
each of the four languages: it picks the employer and reads that employer's history only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOCALES
from tests.browser.flows import submit, unique_surname
from tests.browser.journey import Journey
from tests.support import Actor, new_employer_id


def sign_in_with_mandates(page, *, employer: str, user: str, mandates: list[str]) -> None:
    page.goto("/")
    page.locator("main a[href='/login']").click()
    page.wait_for_url(re.compile(r"/dev/oidc/authorize"))
    page.fill("#f-employer", employer)
    page.fill("#f-mandates", ", ".join(mandates))
    page.fill("#f-user", user)
    page.check("input[name=role][value=requester]")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard"))


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_secretariat_picks_an_employer_and_acts_for_it_only(new_page, system, lang):
    secretariat, client_a, client_b = new_employer_id(), new_employer_id(), new_employer_id()
    worker_a, worker_b = unique_surname(), unique_surname()
    submit(system, Actor.sign_in(system, employer=client_a), surnames=worker_a)
    submit(system, Actor.sign_in(system, employer=client_b), surnames=worker_b)
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "mandates")
    sign_in_with_mandates(
        page, employer=secretariat, user=f"sec-{lang}", mandates=[client_a, client_b]
    )

    page.locator("[data-change-employer]").click()
    walk.look("choose-employer")
    page.check(f"input[name=employer_id][value='{client_a}']")
    page.locator("form.stack button.primary").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("header")).to_contain_text(client_a)
    page.goto("/dashboard?scope=company")  # the employer's whole history, not only the user's
    expect(page.locator("main")).to_contain_text(worker_a, timeout=30_000)
    expect(page.locator("main")).not_to_contain_text(worker_b)
    walk.look("history-of-employer-a")

    page.locator("[data-change-employer]").click()
    page.check(f"input[name=employer_id][value='{client_b}']")
    page.locator("form.stack button.primary").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    page.goto("/dashboard?scope=company")
    expect(page.locator("main")).to_contain_text(worker_b, timeout=30_000)
    expect(page.locator("main")).not_to_contain_text(worker_a)
