"""The agents' journey and the employer's side of it, in each of the four languages.

Three cases wait for research: one gets a new BIS number, one an information request the employer
answers, one is rejected. The agent's internal notes must never reach the employer's pages or
e-mails; the reasons the agent chose reach them translated, beside the agent's own words.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from contracts import label
from devstack.scans import sharp_card
from tests.browser.conftest import LOCALES, sign_in
from tests.browser.flows import review_cases
from tests.browser.journey import (
    SSIN,
    Journey,
    mails_speak,
    status_is,
    unique_mailbox,
    visit,
    wait_mails,
)
from tests.browser.test_details import fits
from tests.support import Actor, new_employer_id

NOTE = "internal-note-{}: twin check done"


def open_case(walk: Journey, request_id: str) -> None:
    walk.page.goto("/review")
    walk.page.locator(f"tr[data-request='{request_id}'] a").click()
    walk.page.wait_for_url(re.compile(r"/review/[0-9a-f-]{36}$"))


def claim(walk: Journey) -> None:
    walk.page.locator("form[action$='/claim'] button").click()
    expect(walk.page.locator("[data-holder]")).to_be_visible()


def record(walk: Journey, action: str, note: str, **fields) -> None:
    page = walk.page
    page.check(f"input[name=action][value={action}]")
    page.fill("#f-reason", note)
    for code in fields.get("missing", ()):
        page.check(f"input[name=missing][value={code}]")
    if "reason_code" in fields:
        page.select_option("#f-reason_code", fields["reason_code"])
    if "message" in fields:
        page.fill("#f-message", fields["message"])
    page.locator("form[action$='/decision'] button.primary").click()
    expect(page.get_by_role("status")).to_be_visible()


def zone_warning_shows(page) -> None:
    """The card's zone prints SPECIMEN, ANNA MARIA, 1990-04-02: none of what was typed. Intake
    reads it in the background, so the page is asked again until it says so."""
    warning = page.locator("[data-zone-warning]")
    deadline = time.monotonic() + 30
    while not warning.count() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(warning).to_be_visible()
    fields = warning.locator("li").evaluate_all("items => items.map(i => i.dataset.zoneField)")
    assert fields == ["surnames", "given_names", "birth_date"]
    expect(warning).to_contain_text("Specimen")


def page_through_the_scans(walk: Journey) -> None:
    """The card, then the PDF's two pages, each its own picture, one at a time, with zoom."""
    page, lang = walk.page, walk.language
    expect(page.locator(".viewer-page img")).to_have_count(3)
    where = page.locator("[data-page-label]")
    words = {
        "fr": "Page 1 sur 3",
        "nl": "Pagina 1 van 3",
        "de": "Seite 1 von 3",
        "en": "Page 1 of 3",
    }
    expect(where).to_have_text(words[lang])
    page.locator("[data-next]").click()
    page.locator("[data-next]").click()
    expect(where).to_have_text(words[lang].replace("1", "3", 1))
    expect(page.locator("[data-next]")).to_be_disabled()
    shown = page.locator(".viewer-page:not([hidden]) img")
    expect(shown).to_have_attribute("src", re.compile(r"/pages/2$"))
    expect(shown).to_have_js_property("complete", True)
    assert shown.evaluate("img => img.naturalWidth") > 0, "the PDF's page 2 is not shown"
    width = shown.bounding_box()["width"]
    page.locator("[data-zoom-in]").click()
    assert shown.bounding_box()["width"] > width * 1.4
    walk.look("case-pdf-page-zoomed")
    page.locator("[data-prev]").click()
    page.locator("[data-prev]").click()
    expect(page.locator("[data-prev]")).to_be_disabled()


def on_a_phone(phone: Journey, request_id: str) -> None:
    """The case with its warning and its scans fits a phone."""
    open_case(phone, request_id)
    expect(phone.page.locator("[data-zone-warning]")).to_be_visible()
    expect(phone.page.locator(".viewer-tools")).to_be_visible()
    fits(phone, "case-with-scan")


def agent_decides(
    walk: Journey, second: Journey, phone: Journey, cases: dict[str, str], lang: str
) -> None:
    page = walk.page
    expect(page.locator(f"tr[data-request='{cases['assign']}']")).to_have_count(1)
    walk.look("queue")
    reason = page.locator(f"tr[data-request='{cases['assign']}'] td").nth(2).inner_text()
    code = next(
        c
        for c in ("ambiguous_candidates", "conflicting_evidence", "uncertain_match")
        if label("review_reason", c, lang) == reason
    )
    page.select_option("#f-reason", code)
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator(f"tr[data-request='{cases['assign']}']")).to_have_count(1)
    walk.look("queue-filtered")

    open_case(walk, cases["assign"])
    expect(page.locator(".candidate h3 .ssin").first).to_have_text(SSIN)
    zone_warning_shows(page)
    walk.look("case-with-scan")
    page_through_the_scans(walk)
    on_a_phone(phone, cases["assign"])
    claim(walk)
    walk.look("case-claimed")
    record(walk, "new_person", NOTE.format("assign"))
    walk.look("queue-decision-recorded")
    page.go_back()
    page.reload()
    expect(page.locator("[data-decision]")).to_be_visible()
    walk.look("case-decided")

    open_case(walk, cases["ask"])
    claim(walk)
    open_case(second, cases["ask"])  # another agent sees at once who holds it
    expect(second.page.locator(".notice.warning")).to_contain_text("agent-one")
    second.look("case-held-by-another")
    record(
        walk,
        "request_information",
        NOTE.format("ask"),
        missing=("document_number", "documents"),
        message="Bitte / please / svp: scan p. 2.",
    )

    open_case(walk, cases["reject"])
    claim(walk)
    record(walk, "reject", NOTE.format("reject"), reason_code="job_student", message="Dimona STU.")


def employer_reads(walk: Journey, cases: dict[str, str], lang: str) -> None:
    page = walk.page
    visit(page, f"/requests/{cases['assign']}")
    expect(page.locator("[data-ssin]")).to_have_text(SSIN, timeout=30_000)
    walk.look("request-new-bis-by-agent")

    visit(page, f"/requests/{cases['ask']}")
    status_is(page, label("status", "information_requested", lang))
    for code in ("document_number", "documents"):
        expect(page.locator("ul.missing")).to_contain_text(label("missing", code, lang))
    expect(page.locator(".agent-message")).to_have_text("Bitte / please / svp: scan p. 2.")
    walk.look("request-information-requested")
    page.locator("form[action$='/answer'] button").click()
    expect(page.locator(".notice.info")).to_contain_text(label("missing", "documents", lang))
    walk.look("answer-wizard-document")
    walk.upload("card.png", sharp_card())
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.select_option("#f-type", "passport")
    walk.country("#f-issuing_country")
    page.locator(".stepper button[value=person]").click()
    page.fill("#f-document_number", "ZX1234567")
    page.locator(".stepper button[value=send]").click()
    page.wait_for_url(re.compile(r"/send$"))
    walk.look("answer-wizard-send")
    page.locator("form[action$='/send/submit'] button.primary").click()
    expect(page.locator("[data-status-label]")).not_to_have_text(
        label("status", "information_requested", lang), timeout=30_000
    )
    walk.look("request-answered")

    visit(page, f"/requests/{cases['reject']}")
    status_is(page, label("status", "rejected", lang))
    expect(page.locator("[data-explanation]")).to_contain_text(
        label("reject_reason", "job_student", lang)
    )
    expect(page.locator(".agent-message")).to_have_text("Dimona STU.")
    walk.look("request-rejected")
    for request_id in cases.values():
        visit(page, f"/requests/{request_id}")
        assert "internal-note" not in page.locator("body").inner_text()


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_back_office_journey(new_page, system, smtp_sink, lang):
    employer, email = new_employer_id(), unique_mailbox()
    carla = Actor.sign_in(system, employer=employer, user=f"carla-{lang}", roles=("requester",))
    assign, ask, reject = review_cases(
        system, carla, language=lang, email=email, count=3, with_scan=1
    )
    cases = {"assign": assign, "ask": ask, "reject": reject}

    agent = Journey(new_page(locale=LOCALES[lang]), lang, "agent")
    sign_in(agent.page, employer=None, user="agent-one", role="agent", name="Agent One")
    second = Journey(new_page(locale=LOCALES[lang]), lang, "agent-two")
    sign_in(second.page, employer=None, user="agent-two", role="agent", name="Agent Two")
    phone = Journey(new_page(locale=LOCALES[lang], phone=True), lang, "agent-phone")
    sign_in(phone.page, employer=None, user="agent-phone", role="agent", name="Agent Phone")
    agent_decides(agent, second, phone, cases, lang)

    employer_side = Journey(new_page(locale=LOCALES[lang]), lang, "employer-answers")
    sign_in(
        employer_side.page, employer=employer, user=f"carla-{lang}", role="requester", name="Carla"
    )
    employer_reads(employer_side, cases, lang)

    # received ×6, number ×3 (originals) + 1, research ×3, information, answer received, rejected
    wait_mails(smtp_sink, email, 16)
    mails = mails_speak(smtp_sink, email, lang, at_least=16)
    assert not any("internal-note" in m.text for m in mails)
