"""Phone layout in four languages, sign-in from localhost, the language switch, error pages."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from contracts import label
from tests.browser.conftest import LOCALES, PHONE, sign_in
from tests.browser.flows import review_cases, submit, wait_status
from tests.browser.journey import Journey, unique_mailbox
from tests.support import Actor, new_employer_id

# A phone's layout viewport grows to fit wide content (and innerWidth with it): compare the
# page's width with the phone's, not with itself.
WIDTH = "() => Math.max(document.scrollingElement.scrollWidth, window.innerWidth)"


SMALL_BUTTONS = """() => [...document.querySelectorAll(
    "button, .button, input[type=submit], input[type=button], input[type=reset]")]
  .filter(e => e.getClientRects().length > 0)
  .map(e => { const r = e.getBoundingClientRect();
              return {text: (e.textContent || e.value).trim(), width: r.width, height: r.height}; })
  .filter(t => t.width < 24 || t.height < 24)"""


def fits(walk: Journey, what: str) -> None:
    """Nothing wider than the phone, and no button too small to touch (WCAG 2.5.8: 24×24)."""
    walk.look(what)
    width = walk.page.evaluate(WIDTH)
    assert width <= PHONE["width"], f"{what} ({walk.language}) is {width} CSS px wide"
    assert not walk.page.evaluate(SMALL_BUTTONS), f"{what}: buttons under 24×24 CSS px"


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_every_page_fits_a_phone(new_page, system, lang):
    employer, email = new_employer_id(), unique_mailbox()
    fay = Actor.sign_in(system, employer=employer, user=f"fay-{lang}", roles=("requester",))
    assigned = submit(
        system,
        fay,
        surnames="Fernandes-Oliveira",
        given_names="Maria Fernanda Luísa",
        language=lang,
        email=email,
    )
    [pending] = review_cases(system, fay, language=lang, email=email, count=1)
    wait_status(system, fay, assigned)

    walk = Journey(new_page(locale=LOCALES[lang], phone=True), lang, "phone")
    page = walk.page
    page.goto("/")
    fits(walk, "start")
    sign_in(
        page, employer=employer, user=f"fay-{lang}", role="admin", name="Fay Fernandes-Oliveira"
    )
    expect(page.locator("table.history tbody tr")).to_have_count(3)
    number = page.locator("table.history td.ssin").first
    box = number.bounding_box()
    assert box and box["x"] + box["width"] <= 375, "the number is cut off"  # a card, not a table
    fits(walk, "dashboard-cards")
    page.goto(f"/requests/{assigned}")
    fits(walk, "request")
    page.goto(f"/requests/{pending}/cancel")
    fits(walk, "cancel-confirm")
    page.goto("/requests/new")
    page.locator("form[action='/requests/new'] button").click()
    page.wait_for_url(re.compile(r"/document$"))
    fits(walk, "wizard-document")
    for step in ("person", "address", "send"):
        page.locator(f".stepper button[value={step}], .stepper a[href$='/{step}']").first.click()
        page.wait_for_url(re.compile(f"/{step}$"))
        fits(walk, f"wizard-{step}")

    agent = Journey(new_page(locale=LOCALES[lang], phone=True), lang, "phone-agent")
    sign_in(agent.page, employer=None, user="agent-phone", role="agent", name="Agent Phone")
    expect(agent.page.locator(f"tr[data-request='{pending}']")).to_have_count(1)
    fits(agent, "queue")
    agent.page.locator(f"tr[data-request='{pending}'] a").click()
    fits(agent, "case")


def test_sign_in_started_under_localhost_lands_signed_in(new_page, system):
    port = system.url("gateway").rsplit(":", 1)[1]
    page = new_page(base_url=f"http://localhost:{port}")
    sign_in(page, employer=new_employer_id(), user="lea", role="requester", name="Léa")
    assert page.url.startswith(system.url("gateway"))
    expect(page.locator("h1")).to_have_text("Requests")


def test_the_chosen_language_stays_after_a_reload(new_page, system):
    page = new_page(locale="de-DE")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    sign_in(page, employer=new_employer_id(), user="dora", role="requester")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anträge")
    page.locator("form.langs button[value=nl]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_a_missing_page_is_a_page_in_the_users_language_and_the_api_keeps_problems(
    new_page, system, lang
):
    walk = Journey(new_page(locale=LOCALES[lang]), lang, "error")
    response = walk.page.goto("/no-such-page")
    assert response.status == 404 and "text/html" in response.headers["content-type"]
    expect(walk.page.locator("main a[href='/']")).to_be_visible()
    walk.look("not-found")
    with httpx.Client(base_url=system.url("gateway")) as client:
        api = client.get("/api/no-such-thing", headers={"Accept": "text/html"})
        icon = client.get("/favicon.ico", follow_redirects=True)
    assert api.headers["content-type"].startswith("application/problem+json")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert label("status", "rejected", lang)  # the page's words come from the same catalogues
