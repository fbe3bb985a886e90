"""An admin manages the company's webhooks in the portal: add, the secret once, deliveries, replay,
rotation; in four languages; a requester is turned away."""

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from devstack._runtime import free_port, terminate
from tests.browser.conftest import shot, sign_in
from tests.browser.flows import submit, unique_surname
from tests.support import Actor, new_employer_id


@pytest.fixture(scope="module")
def receiver():
    """A real receiver in its own process (the browser's sync API holds this thread's loop)."""
    with tempfile.TemporaryDirectory(prefix="idpro-receiver-") as folder:
        port, journal = free_port(), Path(folder) / "journal.jsonl"
        process = subprocess.Popen(
            [sys.executable, "-m", "devstack.receiver", "--port", str(port),
             "--journal", str(journal)],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        process.stdout.readline()  # "receiving on …"
        yield port, journal
        terminate(process)


def arrivals(journal: Path, path: str, count: int, *, within: float = 60) -> list[dict]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        lines = journal.read_text().splitlines() if journal.exists() else []
        found = [json.loads(x) for x in lines if x.endswith("}") and json.loads(x)["path"] == path]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"fewer than {count} webhooks at {path} within {within}s")


def test_an_admin_adds_an_endpoint_sees_its_deliveries_replays_and_rotates(
    new_page, system, receiver
):
    port, journal = receiver
    employer = new_employer_id()
    page = new_page()
    sign_in(page, employer=employer, user="boss", role="admin")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")

    page.fill("#w-url", f"http://127.0.0.1:{port}/payroll")
    page.uncheck("input[name=event_kinds][value=cancelled]")
    page.get_by_role("button", name="Add the endpoint").click()
    secret = page.locator("[data-secret]").inner_text()
    assert secret.startswith("whsec_")
    shot(page, "webhooks-secret-shown-once")

    submit(system, Actor.sign_in(system, employer=employer), surnames=unique_surname())
    [delivered] = arrivals(journal, "/payroll", 1)
    page.get_by_role("link", name="Go to the endpoint").click()
    page.reload()
    expect(page.locator("[data-delivery]")).to_have_count(1)
    expect(page.locator("[data-delivery] td").nth(2)).to_have_text("Delivered")
    assert secret not in page.content()
    shot(page, "webhooks-endpoint-deliveries")

    page.locator("[data-delivery]").get_by_role("button", name="Send again").click()
    first, again = arrivals(journal, "/payroll", 2)
    assert json.loads(first["body"]) == json.loads(again["body"])

    page.get_by_role("button", name="Make a new secret").click()
    rotated = page.locator("[data-secret]").inner_text()
    expect(page.locator(".notice")).to_contain_text("still signs until")
    assert rotated != secret
    assert json.loads(delivered["body"])["type"] == "request.number_assigned"
    assert Webhook(secret)  # the secret the page showed is a valid Standard Webhooks secret


@pytest.mark.parametrize(
    ("locale", "title", "button"),
    [
        ("fr-BE", "Webhooks", "Ajouter l'adresse"),
        ("nl-BE", "Webhooks", "Het adres toevoegen"),
        ("de-DE", "Webhooks", "Adresse hinzufügen"),
        ("en-GB", "Webhooks", "Add the endpoint"),
    ],
)
def test_the_webhooks_page_speaks_four_languages_and_refuses_a_private_address(
    new_page, locale, title, button
):
    page = new_page(locale=locale)
    sign_in(page, employer=new_employer_id(), user="boss", role="admin")
    page.goto("/webhooks")
    page.fill("#w-url", "https://10.0.0.8/hook")
    page.get_by_role("button", name=button).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".error-summary")).to_be_visible()
    assert "10.0.0.8" not in page.locator(".error-summary").inner_text()
    assert re.search(r"internet", page.locator(".error-summary").inner_text(), re.IGNORECASE)


def test_a_requester_is_turned_away_from_the_webhooks_page(new_page):
    page = new_page()
    sign_in(page, employer=new_employer_id(), user="clerk", role="requester")
    response = page.goto("/webhooks")

    assert response.status == 403
    expect(page.get_by_role("link", name="Webhooks")).to_have_count(0)
