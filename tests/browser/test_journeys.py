"""The portal in a real browser, over the whole running system (five services, broker, database)."""

import re
from io import BytesIO

from playwright.sync_api import expect
from pypdf import PdfReader

from devstack.scans import blurred_card, sharp_card
from tests.browser.conftest import shot, sign_in
from tests.browser.flows import review_case, submit, unique_surname
from tests.support import Actor, new_employer_id

SSIN = re.compile(r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}")


def upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#f-file", files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    page.get_by_role("button", name="Upload").click()


def fill_wizard(page, surname: str) -> None:
    """Steps 1 to 3, with a refused scan and a server-side refusal on the way."""
    upload(page, "blurred.png", blurred_card())
    expect(page.locator("#upload-error")).to_contain_text("too blurred")
    shot(page, "wizard-1-document-blurred-scan-refused")
    upload(page, "card.png", sharp_card())
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.select_option("#f-type", "identity_card")
    page.fill("#f-issuing_country", "PL")
    shot(page, "wizard-1-document")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#f-surnames", surname)
    page.fill("#f-given_names", "Łucja")
    page.select_option("#f-sex", "female")
    page.fill("#f-birth_date", "1991-02-30")  # the pattern passes; intake refuses the date
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#f-birth_date-error")).to_contain_text("YYYY")
    shot(page, "wizard-2-person-refused-date")
    page.fill("#f-birth_date", "1991-02-14")
    page.fill("#f-birth_place", "Gdańsk")
    page.fill("#f-birth_country", "pl")
    page.fill("#f-nationality", "PL")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#f-residence-country", "PL")
    page.fill("#f-residence-street", "ul. Długa")
    page.fill("#f-residence-number", "5")
    page.fill("#f-residence-postal_code", "80-831")
    page.fill("#f-residence-city", "Gdańsk")
    shot(page, "wizard-3-address")
    page.get_by_role("button", name="Save and continue").click()


def test_the_employer_journey(new_page, system):
    employer = new_employer_id()
    page = new_page()
    sign_in(page, employer=employer, user="alice", role="admin", name="Alice Admin")
    shot(page, "dashboard-empty")
    page.get_by_role("link", name="Request a number").click()
    page.get_by_role("button", name="Start a new request").click()
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text("Document")
    fill_wizard(page, surname := unique_surname())
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text("Send")
    page.fill("#f-notification_email", "hr@example.be")
    shot(page, "wizard-4-send")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("[data-ssin]")).to_have_text(SSIN, timeout=30_000)
    shot(page, "request-number-assigned")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the confirmation (PDF)").click()
    text = PdfReader(BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    assert SSIN.search(text) and surname in text

    # Another requester of the company, and a request that waits for research, to cancel.
    bob = Actor.sign_in(system, employer=employer, user="bob", roles=("requester",))
    submit(system, bob, surnames=unique_surname(), given_names="Jan")
    pending = review_case(system, bob)
    page.goto("/dashboard")
    page.locator("th a[data-sort=requester]").click()
    expect(page).to_have_url(re.compile("sort=requester"))
    requesters = page.locator("table.history tbody tr td:nth-child(2)").all_inner_texts()
    assert requesters == sorted(requesters, key=str.lower) and "Alice Admin" in requesters
    shot(page, "dashboard-sorted-by-requester")
    page.goto(f"/requests/{pending}")
    expect(page.locator("[data-explanation]")).to_contain_text("Under research")
    shot(page, "request-under-research")
    page.get_by_role("button", name="Cancel this request").click()
    expect(page.locator("[data-status-label]")).to_have_text("Cancelled")
    shot(page, "request-cancelled")


def decide(page, request_id: str, action: str, *, reason: str, message: str = "") -> None:
    page.goto("/review")
    page.locator(f"tr[data-request='{request_id}'] a").click()
    shot(page, f"review-case-{action}")
    page.get_by_role("button", name="Claim this case").click()
    page.check(f"input[name=action][value={action}]")
    page.fill("#f-reason", reason)
    if message:
        page.fill("#f-message", message)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision recorded")


def test_the_agent_journey_and_an_information_request(new_page, system):
    employer = new_employer_id()
    owner = Actor.sign_in(system, employer=employer, user="carla", roles=("requester",))
    to_assign, to_ask = review_case(system, owner), review_case(system, owner)
    agent = new_page()
    sign_in(agent, employer=None, user="agent-007", role="agent", name="Agent Smith")
    expect(agent.locator(f"tr[data-request='{to_assign}']")).to_have_count(1)
    shot(agent, "review-queue")
    decide(
        agent, to_assign, "new_person", reason="Not the same person as the twin: other given name."
    )
    decide(
        agent,
        to_ask,
        "request_information",
        reason="Which twin?",
        message="Please add the document number and a scan of the document.",
    )

    employer_page = new_page()
    sign_in(employer_page, employer=employer, user="carla", role="requester", name="Carla")
    employer_page.goto(f"/requests/{to_assign}")
    expect(employer_page.locator("[data-ssin]")).to_have_text(SSIN, timeout=30_000)
    employer_page.goto(f"/requests/{to_ask}")
    expect(employer_page.locator("[data-status-label]")).to_have_text(
        "Information requested", timeout=30_000
    )
    expect(employer_page.locator("[data-explanation]")).to_contain_text("document number")
    shot(employer_page, "request-information-requested")
    employer_page.get_by_role("button", name="Answer the information request").click()
    expect(employer_page.locator(".notice.info")).to_contain_text("document number")
    upload(employer_page, "card.png", sharp_card())
    employer_page.select_option("#f-type", "identity_card")
    employer_page.fill("#f-issuing_country", "PL")
    employer_page.get_by_role("button", name="Save and continue").click()
    employer_page.fill("#f-document_number", "ZX1234567")
    employer_page.get_by_role("button", name="Save and continue").click()
    employer_page.get_by_role("button", name="Save and continue").click()
    shot(employer_page, "answer-information-send")
    employer_page.get_by_role("button", name="Send the request").click()
    expect(employer_page.locator("[data-status-label]")).not_to_have_text("Information requested")
    shot(employer_page, "request-answered")


def test_the_language_switch_and_a_phone_screen(new_page, system):
    page = new_page(locale="de-DE", phone=True)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    sign_in(page, employer=new_employer_id(), user="dora", role="requester")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anträge")
    page.locator("form.langs button[value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    shot(page, "dashboard-nl-phone")
    page.goto("/requests/new")
    page.locator("form[action='/requests/new'] button").click()
    page.locator("a[href$='/person']").first.click()
    page.fill("#f-surnames", "Nowak")
    page.fill("#f-birth_date", "2999")
    page.locator("form.stack button.primary").click()
    expect(page.locator("#f-birth_date-error")).to_contain_text("toekomst")  # intake's Dutch text
    shot(page, "wizard-person-nl-phone")
    page.goto("/dev/mailbox")
    shot(page, "mailbox")
