"""An information request left unanswered, in each of the four languages, across the whole system:
the page says by when to answer, the reminder e-mail comes, then the request expires (status,
timeline, e-mail). Days pass by moving the request's asking time back in intake's database."""

import asyncio
import concurrent.futures
import re
import uuid

import asyncpg
import httpx
import pytest
from playwright.sync_api import expect

from contracts import label
from tests.browser.conftest import LOCALES, sign_in
from tests.browser.flows import review_case, wait_status
from tests.browser.journey import Journey, mails_speak, status_is, unique_mailbox, wait_mails
from tests.support import Actor, new_employer_id

REMINDER = {"fr": "Rappel", "nl": "Herinnering", "de": "Erinnerung", "en": "Reminder"}


def shift_asked(system, request_id: str, days: int) -> None:
    """Move the request's information request `days` back in time (in intake's own database)."""
    url = re.sub(r"^postgresql\+\w+://", "postgresql://", system.database_urls["intake"])

    async def move() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute(
                "UPDATE requests SET info_requested_at = info_requested_at - make_interval("
                "days => $2) WHERE id = $1",
                uuid.UUID(request_id),
                days,
            )
        finally:
            await connection.close()

    # The browser's sync API holds this thread's event loop: the query runs in a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, move()).result()


def asked_for_information(system, employer: Actor, *, language: str, email: str) -> str:
    """A twin goes to review, and an agent asks the employer for the place of birth."""
    second = review_case(system, employer, language=language, email=email)
    agent = Actor.sign_in(system, roles=("agent",), user=f"agent-deadline-{language}")
    with httpx.Client(base_url=f"{system.url('gateway')}/api", headers=agent.headers) as api:
        case = next(
            c for c in api.get("/review/cases?limit=500").json() if c["request_id"] == second
        )
        assert api.post(f"/review/cases/{case['case_id']}/claim").status_code == 200
        decided = api.post(
            f"/review/cases/{case['case_id']}/decision",
            json={
                "action": "request_information",
                "reason": "which twin?",
                "missing": ["birth_place"],
            },
        )
        assert decided.status_code == 200, decided.text
    wait_status(system, employer, second, leaving="under_review")
    return second


@pytest.mark.parametrize("lang", list(LOCALES))
def test_an_unanswered_information_request_is_reminded_then_expires(
    new_page, system, smtp_sink, lang
):
    employer, mailbox = new_employer_id(), unique_mailbox()
    actor = Actor.sign_in(system, employer=employer, user=f"hr-{lang}")
    request_id = asked_for_information(system, actor, language=lang, email=mailbox)
    page = new_page(locale=LOCALES[lang])
    walk = Journey(page, lang, "deadline")
    sign_in(page, employer=employer, user=f"hr-{lang}", role="requester")
    page.goto(f"/requests/{request_id}")
    expect(page.locator("[data-deadline]")).to_be_visible()
    walk.look("information-requested-with-deadline")
    sent = len([m for m in smtp_sink.mailbox.list() if mailbox in m.envelope_to])

    shift_asked(system, request_id, 8)
    wait_mails(smtp_sink, mailbox, sent + 1)
    reminder = mails_speak(smtp_sink, mailbox, lang, at_least=sent + 1)[-1]
    assert REMINDER[lang] in reminder.subject

    shift_asked(system, request_id, 23)
    page.reload()
    status_is(page, label("status", "expired", lang))
    expect(page.locator("a[href$='/cancel']")).to_have_count(0)  # final
    walk.look("request-expired")
    wait_mails(smtp_sink, mailbox, sent + 2)
    mails_speak(smtp_sink, mailbox, lang, at_least=sent + 2)
