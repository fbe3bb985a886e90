"""Playwright (Python) on Debian's Chromium, against the whole system started by `system`."""

import os
import re
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 375, "height": 812}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE", "de": "de-BE", "en": "en-GB"}
CHROMIUM = os.environ.get("IDPRO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Every journey in every language is the full matrix (IDPRO_BROWSER_LANGUAGES=all, `make
# test-all`); `make test` walks each journey in one language, the languages rotating over the
# journeys so that each is walked, which keeps the suite within its time on two cores.
ROTATION = ("fr", "nl", "de", "en")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("IDPRO_BROWSER_LANGUAGES", "rotate") == "all":
        return
    here = Path(__file__).parent
    journeys = sorted(
        {
            (item.path.name, item.originalname)
            for item in items
            if item.path.is_relative_to(here)
            and hasattr(item, "callspec")
            and "lang" in item.callspec.params
        }
    )
    chosen = {journey: ROTATION[i % len(ROTATION)] for i, journey in enumerate(journeys)}
    kept, dropped = [], []
    for item in items:
        journey = (item.path.name, item.originalname)
        if journey in chosen and item.callspec.params["lang"] != chosen[journey]:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# Module scope, after `system`: the sync API keeps an event loop running in this thread, so
# the system must be prepared first and the loop gone before other (async) test modules run.
@pytest.fixture(scope="module")
def browser(system):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh")
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    # Assertions wait as long as actions do: an upload is checked and its MRZ read before its
    # thumbnail shows, which takes more than expect's default 5 s on two busy cores.
    expect.set_options(timeout=15_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, system):
    """A fresh browser context (its own cookies) on the gateway; closed after the test."""
    contexts = []

    def make(*, locale: str = "en-GB", phone: bool = False, base_url: str | None = None):
        phone_options = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
        context = browser.new_context(
            base_url=base_url or system.url("gateway"),
            locale=locale,
            viewport=PHONE if phone else {"width": 1280, "height": 900},
            accept_downloads=True,
            **(phone_options if phone else {}),
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    """A full-page screenshot into tests/browser/screenshots/."""
    page.screenshot(
        path=str(SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"), full_page=True
    )


def sign_in(page, *, employer: str | None, user: str, role: str, name: str | None = None) -> None:
    """Through the development OIDC provider's page, as a person would (in any language)."""
    page.goto("/")
    page.locator("main a[href='/login']").click()
    page.wait_for_url(re.compile(r"/dev/oidc/authorize"))
    page.fill("#f-employer", employer or "")
    page.fill("#f-user", user)
    page.fill("#f-name", name or user.title())
    page.check(f"input[name=role][value={role}]")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(dashboard|review)"))
