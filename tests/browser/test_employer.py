"""The employer's journey in each of the four languages, in a real browser over the whole system.

Each page reached is photographed (tests/browser/screenshots/<lang>-employer-NN-*.png), its text
checked (no code, no other language) and audited with axe-core; so are the e-mails it causes.
"""

import random
import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts import label
from devstack.scans import blurred_card, sharp_card, specimen
from tests.browser.conftest import LOCALES, sign_in
from tests.browser.flows import a_birth_date, review_cases, status_of, unique_surname
from tests.browser.journey import (
    POLAND,
    SSIN,
    Journey,
    mails_speak,
    status_is,
    unique_mailbox,
    wait_mails,
)
from tests.support import Actor, new_employer_id


def a_pdf_scan() -> bytes:
    buffer = BytesIO()
    specimen(kind="td1").convert("RGB").save(buffer, "PDF", resolution=300)
    return buffer.getvalue()


def send_a_request_through_the_wizard(walk: Journey, surname: str, email: str) -> None:
    """Steps 1 to 4, with a refused scan, a refused date, leaving by the step bar and resuming."""
    page, lang = walk.page, walk.language
    walk.upload("blurred.png", blurred_card())
    expect(page.locator("#upload-error")).to_be_visible()
    walk.look("wizard-1-scan-refused")
    walk.upload("card.png", sharp_card())
    expect(page.locator(".thumbs img")).to_have_count(1)
    walk.upload("back.pdf", a_pdf_scan(), "application/pdf")  # its thumbnail: its first page
    thumbnail = page.locator(".thumbs a.pdf img")
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    page.select_option("#f-type", "identity_card")
    walk.country("#f-issuing_country")
    walk.look("wizard-1-document")
    page.locator(".stepper button[value=person]").click()  # leaving by the bar saves the step
    page.wait_for_url(re.compile(r"/person$"))
    page.fill("#f-surnames", surname)
    page.fill("#f-given_names", "Łucja")
    expect(page.locator("#f-sex")).to_have_value("")  # a neutral default, not "female"
    page.select_option("#f-sex", "female")
    page.fill("#f-birth_date", "1991-02-30")  # the pattern passes; intake refuses the date
    page.locator("#step-form button.primary").click()
    expect(page.locator("#f-birth_date-error")).to_be_visible()
    walk.look("wizard-2-date-refused")
    page.fill("#f-birth_date", a_birth_date())  # a stranger to every other test's people
    page.fill("#f-birth_place", "Gdańsk")
    walk.country("#f-birth_country")
    walk.country("#f-nationality")
    page.locator(".stepper button[value=document]").click()
    expect(page.locator("#f-issuing_country")).to_have_value(POLAND[lang])
    page.goto("/dashboard")  # the draft waits on the dashboard, at the step it stopped at
    expect(page.locator(".drafts a")).to_contain_text(surname)
    walk.look("dashboard-draft-to-continue")
    page.locator(".drafts a").first.click()
    page.wait_for_url(re.compile(r"/address$"))
    walk.country("#f-residence-country")
    page.fill("#f-residence-street", "ul. Długa")
    page.fill("#f-residence-number", str(random.randint(1, 999)))
    page.fill("#f-residence-postal_code", "80-831")
    page.fill("#f-residence-city", "Gdańsk")
    walk.look("wizard-3-address")
    page.locator("#step-form button.primary").click()
    page.wait_for_url(re.compile(r"/send$"))
    summary = page.locator("main").inner_text()
    for shown in (surname, "Łucja", "Gdańsk", "ul. Długa", "80-831", POLAND[lang]):
        assert shown in summary, shown
    page.fill("#f-notification_email", email)
    walk.look("wizard-4-send")
    page.locator("form[action$='/send/submit'] button.primary").click()


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_employer_journey(new_page, system, smtp_sink, lang):
    employer, email = new_employer_id(), unique_mailbox()
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "employer")
    page.goto("/")
    walk.look("start")
    page.goto("/login")
    page.wait_for_url(re.compile(r"/dev/oidc/authorize"))
    walk.look("sign-in")
    sign_in(page, employer=employer, user=f"alice-{lang}", role="admin", name="Alice Admin")
    walk.look("dashboard-empty")
    page.locator("header a[href='/requests/new']").click()
    walk.look("wizard-start")
    page.locator("form[action='/requests/new'] button").click()
    surname = unique_surname()
    send_a_request_through_the_wizard(walk, surname, email)

    expect(page.locator("[data-ssin]")).to_have_text(SSIN, timeout=30_000)
    expect(page.locator("[data-outcome]")).to_have_text(label("number_kind", "new_bis", lang))
    walk.look("request-number-assigned")
    with page.expect_download() as download:
        page.locator("a[href$='confirmation.pdf']").click()
    text = PdfReader(BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert SSIN.search(text) and f"Łucja {surname}" in text
    assert label("number_kind", "new_bis", lang) in text

    # A colleague's request that waits for research: explained, then cancelled after a question.
    bob = Actor.sign_in(system, employer=employer, user=f"bob-{lang}", roles=("requester",))
    [pending] = review_cases(system, bob, language=lang, email=email, count=1)
    page.goto(f"/requests/{pending}")
    reason = status_of(system, bob, pending)["outcome"]["reason"]
    expect(page.locator("[data-explanation]")).to_contain_text(
        label("review_reason_employer", reason, lang)
    )
    walk.look("request-under-research")
    page.locator(f"a[href='/requests/{pending}/cancel']").click()
    walk.look("request-cancel-confirm")
    page.locator("form[action$='/cancel'] button.danger").click()
    status_is(page, label("status", "cancelled", lang))
    walk.look("request-cancelled")

    page.goto("/dashboard")
    page.locator("input[name=status][value=number_assigned]").check()
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("[data-count]")).to_have_text(
        f"({page.locator('table.history tbody tr').count()})"
    )
    walk.look("dashboard-filtered")
    page.goto("/requests/00000000-0000-4000-8000-000000000000")
    expect(page.locator("h1")).to_be_visible()
    walk.look("error-not-found")

    wait_mails(smtp_sink, email, 7)  # received ×3, number ×2, research, cancellation
    mails_speak(smtp_sink, email, lang, at_least=7)
