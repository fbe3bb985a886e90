"""Accessibility in a real browser: axe-core's WCAG 2.1 A/AA audit, keyboard only, a phone screen."""

import re
from functools import cache
from importlib.resources import files

import pytest
from playwright.sync_api import expect

from devstack.scans import blurred_card, sharp_card
from tests.browser.conftest import sign_in
from tests.browser.flows import review_case, submit, unique_surname, wait_status
from tests.support import Actor, new_employer_id

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
AUDIT = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return {passes: results.passes.length,
          violations: results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                     targets: v.nodes.map(n => n.target.join(" "))}))};
}"""
# What the keyboard has reached: enough to name it, place it, and see whether it shows focus
# (an outline, or a box-shadow, and the outline's contrast with what lies around the element).
FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => rgb(c).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let around = e.parentElement;
  while (around && rgb(getComputedStyle(around).backgroundColor)[3] === 0) {
    around = around.parentElement;
  }
  const [ring, page] = [lum(s.outlineColor),
                        lum(around ? getComputedStyle(around).backgroundColor : "rgb(255,255,255)")];
  return {key: e.id || e.getAttribute("href") || e.textContent.trim(), tag: e.tagName,
          text: e.textContent.trim(), inForm: !!e.closest("form.stack"),
          focusVisible: e.matches(":focus-visible"),
          outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
          contrast: (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05),
          shadow: s.boxShadow !== "none", top: r.top + scrollY, left: r.left + scrollX};
}"""
SMALL_BUTTONS = """() => [...document.querySelectorAll(
    "button, .button, input[type=submit], input[type=button], input[type=reset]")]
  .filter(e => e.getClientRects().length > 0)
  .map(e => { const r = e.getBoundingClientRect();
              return {text: (e.textContent || e.value).trim(), width: r.width, height: r.height}; })
  .filter(t => t.width < 24 || t.height < 24)"""
PHONE = {"width": 375, "height": 812}


@cache
def axe_source() -> str:
    """axe.min.js, as vendored by the PyPI package axe-playwright-python (pinned in uv.lock)."""
    try:
        return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("axe-core is missing: `uv sync` installs axe-playwright-python (axe.min.js)")


@pytest.fixture
def open_page(browser, system):
    """A fresh context on the gateway: a desktop by default, or a phone (touch, meta viewport)."""
    contexts = []

    def make(*, locale: str = "en-GB", phone: bool = False):
        options = (
            {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
            if phone
            else {"viewport": {"width": 1280, "height": 900}}
        )
        context = browser.new_context(base_url=system.url("gateway"), locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def audit(page, name: str, findings: dict[str, list[dict]]) -> None:
    """Runs axe on the page as it stands (the page's CSP stays on: evaluate is not a script tag)."""
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(AUDIT, AXE_TAGS)
    assert results["passes"] > 10, f"axe hardly ran on {name}: {results}"
    findings[name] = results["violations"]


def blocking(findings: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{page}: {v['id']} ({v['impact']}) {v['help']} at {v['targets']}"
        for page, violations in findings.items()
        for v in violations
        if v["impact"] in BLOCKING
    )


def upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#f-file", files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    page.get_by_role("button", name="Upload").click()


def test_axe_finds_no_serious_violation_on_the_portal_pages(open_page, system):
    findings: dict[str, list[dict]] = {}
    employer = new_employer_id()
    erin = Actor.sign_in(system, employer=employer, user="erin", roles=("requester",))
    assigned = submit(system, erin, surnames=unique_surname(), given_names="Jan")
    pending = review_case(system, erin)

    page = open_page()
    page.goto("/")
    audit(page, "start", findings)
    page.goto("/login")
    page.wait_for_url(re.compile(r"/dev/oidc/authorize"))
    audit(page, "sign-in", findings)
    sign_in(page, employer=employer, user="erin", role="requester", name="Erin")
    expect(page.locator("table.history tbody tr")).to_have_count(3)
    audit(page, "dashboard", findings)
    for lang in ("de", "fr", "nl"):
        page.locator(f"form.langs button[value={lang}]").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        audit(page, f"dashboard ({lang})", findings)
    page.locator("form.langs button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto("/requests/new")
    audit(page, "wizard start", findings)
    page.get_by_role("button", name="Start a new request").click()
    upload(page, "blurred.png", blurred_card())
    expect(page.locator("#upload-error")).to_be_visible()
    audit(page, "wizard 1 document, scan refused", findings)
    upload(page, "card.png", sharp_card())
    expect(page.locator(".thumbs img")).to_have_count(1)
    audit(page, "wizard 1 document, one page", findings)
    page.select_option("#f-type", "identity_card")
    page.fill("#f-issuing_country", "PL")
    page.get_by_role("button", name="Save and continue").click()
    audit(page, "wizard 2 person", findings)
    page.fill("#f-surnames", unique_surname())
    page.fill("#f-birth_date", "1991-02-30")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#f-birth_date-error")).to_be_visible()
    audit(page, "wizard 2 person, field errors", findings)
    page.fill("#f-birth_date", "1991-02-14")
    page.get_by_role("button", name="Save and continue").click()
    audit(page, "wizard 3 address", findings)
    page.fill("#f-residence-country", "PL")
    page.fill("#f-residence-city", "Gdańsk")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text("Send")
    audit(page, "wizard 4 send", findings)

    page.goto(f"/requests/{pending}")
    audit(page, "request under research", findings)
    wait_status(system, erin, assigned)
    page.goto(f"/requests/{assigned}")
    audit(page, "request with a number", findings)
    page.goto("/dev/mailbox")
    audit(page, "mailbox", findings)

    agent = open_page()
    sign_in(agent, employer=None, user="agent-a11y", role="agent", name="Agent Ally")
    expect(agent.locator(f"tr[data-request='{pending}']")).to_have_count(1)
    audit(agent, "review queue", findings)
    agent.locator(f"tr[data-request='{pending}'] a").click()
    audit(agent, "review case", findings)
    agent.get_by_role("button", name="Claim this case").click()
    audit(agent, "review case, claimed", findings)

    assert len(findings) == 19
    assert not blocking(findings), "axe found serious or critical violations:\n" + blocking(
        findings
    )


def tab(page, *, back: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    return page.evaluate(FOCUSED)


def tab_to(page, text: str, *, limit: int = 40) -> dict:
    for _ in range(limit):
        if (stop := tab(page))["text"].startswith(text):
            return stop
    raise AssertionError(f"{text!r} is not reachable with Tab")


def shows_focus(stop: dict) -> bool:
    """:focus-visible matches and draws a ring: an outline of 3:1 contrast at least (WCAG 1.4.11)."""
    ring = (stop["outline"] and stop["contrast"] >= 3) or stop["shadow"]
    return stop["focusVisible"] and ring


def focus_report(stop: dict) -> str:
    return (
        f"{stop['key']} shows no focus: :focus-visible={stop['focusVisible']}, "
        f"outline={stop['outline']} ({stop['contrast']:.2f}:1), box-shadow={stop['shadow']}"
    )


def skip_to_main(page) -> None:
    """The skip link is the first stop, shows its focus, and moves the focus to <main>."""
    first = tab(page)
    assert first["key"] == "#main", first
    assert shows_focus(first), focus_report(first)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def replace_text(page, text: str) -> None:
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def test_sign_in_and_the_person_step_with_the_keyboard_only(open_page):
    page = open_page()
    page.goto("/")
    skip_to_main(page)
    assert tab(page)["text"] == "Sign in"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dev/oidc/authorize"))
    skip_to_main(page)
    assert tab(page)["key"] == "f-employer"
    replace_text(page, new_employer_id())
    assert tab(page)["key"] == "f-user"
    replace_text(page, "kim")
    assert tab(page)["key"] == "f-name"
    page.keyboard.type("Kim Keyboard")
    tab_to(page, "Sign in")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard"))

    tab_to(page, "Request a number")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/new"))
    tab_to(page, "Start a new request")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/drafts/[^/]+/document"))
    draft = page.url.rsplit("/", 1)[0]
    tab_to(page, "2 Personal data")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{draft}/person")

    skip_to_main(page)
    typed = {
        "f-surnames": "Kowalska",
        "f-given_names": "Zofia",
        "f-sex": "m",  # type-ahead in the closed list: Male
        "f-birth_date": "1990-05-17",
        "f-birth_place": "Kraków",
        "f-birth_country": "PL",
        "f-nationality": "PL",
        "f-document_number": "AB1234567",
    }
    stops = []
    while not stops or stops[-1]["text"] != "Save and continue":
        stop = tab(page)
        if stops and stop["key"] == stops[-1]["key"]:
            continue  # the day, month and year parts of a date field: one field
        stops.append(stop)
        if stop["key"] in typed:
            page.keyboard.type(typed[stop["key"]])
        assert len(stops) < 30, [s["key"] for s in stops]
    assert [s["key"] for s in stops] == [
        f"/{draft.split('/', 3)[3]}/{step}" for step in ("document", "address", "send")
    ] + [*typed, "f-document_expiry_date", "Save and go back", "Save and continue"]
    for stop in stops:
        assert shows_focus(stop), focus_report(stop)
    fields = [s for s in stops if s["inForm"]]
    for before, after in zip(fields, fields[1:], strict=False):
        below = after["top"] > before["top"] + 1
        assert below or (abs(after["top"] - before["top"]) <= 1 and after["left"] > before["left"])
    assert tab(page, back=True)["text"] == "Save and go back"
    assert tab(page)["text"] == "Save and continue"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{draft}/address")
    expect(page.locator(".stepper [aria-current=step]")).to_contain_text("Address")

    page.goto(f"{draft}/person")
    expect(page.locator("#f-surnames")).to_have_value("Kowalska")
    expect(page.locator("#f-sex")).to_have_value("male")
    expect(page.locator("#f-birth_date")).to_have_value("1990-05-17")
    expect(page.locator("#f-document_number")).to_have_value("AB1234567")


def fits_a_phone(page, name: str) -> None:
    page.wait_for_load_state()
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name} scrolls sideways: {width[0]} > {width[1]} CSS px"
    assert not page.evaluate(SMALL_BUTTONS), f"{name}: buttons under 24×24 CSS px"


def test_the_dashboard_and_the_wizard_fit_a_phone(open_page, system):
    employer = new_employer_id()
    fay = Actor.sign_in(system, employer=employer, user="fay", roles=("requester",))
    submit(system, fay, surnames=unique_surname(), given_names="Maria Fernanda Luísa")
    page = open_page(phone=True)
    assert page.viewport_size == PHONE
    page.goto("/")
    fits_a_phone(page, "start")
    sign_in(page, employer=employer, user="fay", role="admin", name="Fay Fernandes-Oliveira")
    expect(page.locator("table.history tbody tr")).to_have_count(1)
    fits_a_phone(page, "dashboard")
    page.goto("/requests/new")
    fits_a_phone(page, "wizard start")
    page.get_by_role("button", name="Start a new request").click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/document"))
    upload(page, "card.png", sharp_card())
    expect(page.locator(".thumbs img")).to_have_count(1)
    draft = page.url.rsplit("/", 1)[0]
    for step in ("document", "person", "address", "send"):
        page.goto(f"{draft}/{step}")
        fits_a_phone(page, f"wizard {step}")
    page.goto(f"{draft}/person")
    page.fill("#f-surnames", "Nowak")
    page.fill("#f-birth_date", "2999")
    page.locator("form.stack button.primary").click()
    expect(page.locator("#f-birth_date-error")).to_be_visible()
    fits_a_phone(page, "wizard person, field errors")
