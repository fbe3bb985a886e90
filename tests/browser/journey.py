"""What every journey does at each page it reaches: a screenshot, the text check, the axe audit."""

import os
import re
import uuid
from functools import cache
from importlib.resources import files

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.browser.texts import assert_mail_speaks, assert_page_speaks

SSIN = re.compile(r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => `${v.id} (${v.impact}) at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""
# axe-core audits every page in two languages of different lengths: the markup is the same in all
# four, and the text check (every language) sees what differs. When each journey is walked in one
# language only (make test), it audits whatever language that is.
AXE_LANGUAGES = (
    ("fr", "de")
    if os.environ.get("IDPRO_BROWSER_LANGUAGES", "rotate") == "all"
    else ("fr", "nl", "de", "en")
)
# The name of Poland as each language writes it, typed into the country fields.
POLAND = {"fr": "Pologne", "nl": "Polen", "de": "Polen", "en": "Poland"}


@cache
def axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


class Journey:
    """One person's walk in one language: every page is photographed, read and audited."""

    def __init__(self, page, language: str, name: str) -> None:
        self.page, self.language, self.name, self.step = page, language, name, 0

    def look(self, what: str, *, audit: bool = True) -> None:
        self.page.wait_for_load_state()
        self.step += 1
        shot(self.page, f"{self.language}-{self.name}-{self.step:02d}-{what}")
        assert_page_speaks(self.page, self.language, f"{self.name}: {what}")
        if audit and self.language in AXE_LANGUAGES:
            serious = self._axe()
            assert not serious, f"{self.name}: {what} ({self.language}): {serious}"

    def _axe(self) -> list[str]:
        """Serious and critical findings; once more if the page reloaded itself meanwhile."""
        for attempt in (1, 2):
            try:
                if not self.page.evaluate("() => typeof window.axe === 'object'"):
                    self.page.evaluate(axe_source())
                return self.page.evaluate(AXE, AXE_TAGS)
            except PlaywrightError as error:
                if attempt == 2 or "context was destroyed" not in str(error):
                    raise
                self.page.wait_for_load_state()
        return []

    def upload(self, name: str, data: bytes, mime_type: str = "image/png") -> None:
        """Choose a file: app.js sends it at once (the page's main part is replaced)."""
        self.page.set_input_files(
            "#f-file", files=[{"name": name, "mimeType": mime_type, "buffer": data}]
        )

    def country(self, selector: str, *, name: str | None = None) -> None:
        """Type the first letters of a country, then its whole name as the list offers it."""
        self.page.fill(selector, (name or POLAND[self.language]))


def visit(page, url: str) -> None:
    """Go to a page; a page that polls may reload itself at that moment (an aborted load)."""
    try:
        page.goto(url)
    except PlaywrightError as error:
        if "ERR_ABORTED" not in str(error):
            raise
        page.goto(url)


def unique_mailbox() -> str:
    return f"hr-{uuid.uuid4().hex[:10]}@example.be"


def mails_speak(smtp_sink, address: str, language: str, *, at_least: int) -> list:
    """Every e-mail sent to `address`, once `at_least` have come, each in its language."""
    mails = [m for m in smtp_sink.mailbox.list() if address in m.envelope_to]
    assert len(mails) >= at_least, [m.subject for m in mails]
    for mail in mails:
        assert_mail_speaks(mail, language)
    return mails


def wait_mails(smtp_sink, address: str, count: int, *, timeout: float = 30) -> None:
    import time  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(address in m.envelope_to for m in smtp_sink.mailbox.list()) >= count:
            return
        time.sleep(0.3)
    got = [m.subject for m in smtp_sink.mailbox.list() if address in m.envelope_to]
    raise AssertionError(f"{count} e-mails to {address} expected, got {got}")


def status_is(page, words: str, *, timeout: float = 30_000) -> None:
    expect(page.locator("[data-status-label]")).to_have_text(words, timeout=timeout)
