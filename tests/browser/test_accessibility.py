"""Accessibility in a real browser: the keyboard alone reaches everything, with a visible focus.

axe-core's WCAG 2.1 A/AA audit runs at every page of the journeys (tests/browser/journey.py), and
the phone layout is checked in tests/browser/test_details.py."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import new_employer_id

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
PHONE = {"width": 375, "height": 812}


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


def upload(page, name: str, data: bytes) -> None:
    """Choosing the file sends it (app.js); the page's main part is replaced with the answer."""
    page.set_input_files("#f-file", files=[{"name": name, "mimeType": "image/png", "buffer": data}])


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
    # The step bar's other steps are buttons: leaving by them saves what was typed.
    assert [s["key"] for s in stops] == ["1 Document", "3 Address", "4 Send"] + [
        *typed,
        "f-document_expiry_date",
        "Save and go back",
        "Save and continue",
    ]
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


def test_the_file_picker_speaks_the_pages_language_and_takes_the_keyboard(open_page):
    """The native file input (its "Choose File" is the browser's) is hidden but keeps the focus:
    the keyboard reaches it, its ring shows on the button drawn in the page's language, Space
    opens the chooser, and the chosen file is sent."""
    from devstack.scans import sharp_card  # noqa: PLC0415
    from tests.browser.conftest import sign_in  # noqa: PLC0415

    page = open_page(locale="fr-BE")
    sign_in(page, employer=new_employer_id(), user="fred", role="requester", name="Fred")
    page.goto("/requests/new")
    page.locator("form[action='/requests/new'] button").click()
    page.wait_for_url(re.compile(r"/drafts/[^/]+/document$"))
    picker = page.locator("#f-file")
    expect(picker).to_have_accessible_name("Ajouter une page")
    expect(picker).to_have_accessible_description("Aucun fichier choisi")
    expect(page.locator("label.file-button")).to_have_text("Choisir un fichier")

    skip_to_main(page)
    for _ in range(40):
        if (stop := tab(page))["key"] == "f-file":
            break
    else:
        raise AssertionError("the file input is not reachable with Tab")
    assert stop["focusVisible"], stop
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector("label.file-button"));
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert ring[0] != "none" and ring[1] >= 2, ring
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "carte.png", "mimeType": "image/png", "buffer": sharp_card()}]
    )
    expect(page.locator(".thumbs img")).to_have_count(1)
