"""The agents' registry look-up page: search (audited in matching), then name the person found."""

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.flows import review_case, status_of, submit, unique_surname, wait_status
from tests.support import Actor, new_employer_id


def case_of(system, request_id: str) -> str:
    """The open review case of a request, as the back office's queue lists it."""
    agent = Actor.sign_in(system, user="agent-queue", roles=("agent",))
    with httpx.Client(base_url=system.url("gateway"), timeout=30) as client:
        listed = client.get("/api/review/cases", params={"limit": 500}, headers=agent.headers)
    return next(c["case_id"] for c in listed.json() if c["request_id"] == request_id)


def test_an_agent_finds_a_person_in_the_registry_and_names_them_for_a_case(new_page, system):
    owner = Actor.sign_in(system, employer=new_employer_id(), user="dora", roles=("requester",))
    twin = review_case(system, owner)
    elsewhere = unique_surname()
    known = submit(system, owner, surnames=elsewhere, given_names="Ewa", birth_date="1970-05-06")
    ssin = wait_status(system, owner, known)["ssin"]
    case_id = case_of(system, twin)

    agent = new_page()
    sign_in(agent, employer=None, user="agent-009", role="agent", name="Agent Nine")
    agent.goto(f"/registry?case={case_id}")
    agent.fill("#f-surnames", elsewhere)
    agent.fill("#f-given_names", "Ewa")
    agent.get_by_role("button", name="Search the registry").click()
    row = agent.locator("tr[data-person]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(elsewhere)
    shot(agent, "registry-look-up")
    row.locator("input[name=reason]").fill("Same person: the employer sent her old passport.")
    row.get_by_role("button", name="Same person as this one").click()

    expect(agent.get_by_role("status")).to_contain_text("Decision recorded")
    assert wait_status(system, owner, twin, leaving="under_review")["ssin"] == ssin
    assert status_of(system, owner, twin)["status"] == "number_assigned"
