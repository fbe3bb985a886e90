"""A canary person goes through the whole system, searched and filtered the ways the portal and
the API allow: neither the name nor the number may reach any service's log, the gateway's
included (issue 11 item 6: its HTTP client wrote every upstream URL with its query)."""

import random
import uuid

from tests.support import eventually, sample_request


def canary_surname() -> str:
    """A surname no other test uses, easy to find in a log."""
    return "Kanarek" + "".join(random.choice("bcdfghjklmnprstvwz") for _ in range(8))


async def test_a_canary_name_and_number_reach_no_log(system, gateway, actor):
    employer = actor(roles=("requester", "admin"))
    surname = canary_surname()
    claimed = "85073003328"  # a well-formed number nobody holds
    body = sample_request(surnames=surname, birth_date="1985-07-30")
    body["claimed_ssin"] = claimed
    headers = {**employer.headers, "Idempotency-Key": str(uuid.uuid4())}

    submitted = await gateway.post("/api/requests", json=body, headers=headers)
    assert submitted.status_code == 201, submitted.text

    async def found_by_name():
        answer = await gateway.post(
            "/api/history/requests/search", json={"q": surname}, headers=employer.headers
        )
        return answer.json()["items"] if answer.status_code == 200 else None

    await eventually(found_by_name)
    # The ways a client may still put a name in a URL: the services must not log them either.
    listed = await gateway.get(
        "/api/history/requests",
        params={"q": surname, "requester": surname},
        headers=employer.headers,
    )
    assert listed.status_code == 200

    logs = {path.name: path.read_text() for path in (system.state_dir / "logs").glob("*.log")}
    assert "gateway.log" in logs and logs["gateway.log"]
    leaked = sorted(
        name for name, text in logs.items() if surname in text or surname.upper() in text
    )
    assert leaked == []
    assert sorted(name for name, text in logs.items() if claimed in text) == []
