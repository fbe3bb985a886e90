"""The story end to end: a request submitted over HTTP comes back with a valid BIS number in
history, and the e-mail arrives at the SMTP sink."""

import uuid

from stdnum.be import bis

from tests.support import eventually, sample_request


async def submit(gateway, actor, body, *, key=None):
    return await gateway.post(
        "/api/requests",
        json=body,
        headers={**actor.headers, "Idempotency-Key": key or str(uuid.uuid4())},
    )


async def history_entry(gateway, actor, request_id):
    response = await gateway.get(f"/api/history/requests/{request_id}", headers=actor.headers)
    return response.json() if response.status_code == 200 else None


async def test_a_submitted_request_gets_a_valid_bis_number_in_history_and_an_email(
    gateway, actor, smtp_sink
):
    employer = actor()
    email = f"hr-{uuid.uuid4().hex[:8]}@example.be"

    body = sample_request(email=email, language="nl")
    person = body["person"]
    response = await submit(gateway, employer, body)
    assert response.status_code == 201
    request_id = response.json()["id"]

    async def assigned():
        entry = await history_entry(gateway, employer, request_id)
        return entry if entry and entry["status"] == "number_assigned" else None

    entry = await eventually(assigned)
    assert bis.is_valid(entry["ssin"])
    # the birth month + 40: a BIS number for a person of known sex
    assert int(entry["ssin"][2:4]) == int(person["birth_date"][5:7]) + 40
    assert int(entry["ssin"][6:9]) % 2 == 0  # women get even serials
    # The "request received" e-mail may land on the timeline before or after the number.
    kinds = [item["kind"] for item in entry["timeline"] if not item["kind"].startswith("email_")]
    assert kinds[:2] == ["submitted", "number_assigned"]

    mail = await smtp_sink.mailbox.wait_for(
        lambda m: email in m.envelope_to and bis.format(entry["ssin"]) in m.text, timeout=30
    )
    # in the request's language
    assert mail.subject == (
        f"Identificatienummer toegekend – {person['given_names']} {person['surnames']}"
    )

    async def intake_assigned():
        view = (await gateway.get(f"/api/requests/{request_id}", headers=employer.headers)).json()
        return view if view["status"] == "number_assigned" else None

    assert (await eventually(intake_assigned))["ssin"] == entry["ssin"]


async def test_a_retried_submit_with_the_same_key_returns_the_same_request(gateway, actor):
    employer = actor()
    key = str(uuid.uuid4())

    body = sample_request()
    first = await submit(gateway, employer, body, key=key)
    second = await submit(gateway, employer, body, key=key)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"


async def test_the_same_key_with_another_body_is_refused(gateway, actor):
    employer = actor()
    key = str(uuid.uuid4())
    await submit(gateway, employer, sample_request(), key=key)

    response = await submit(gateway, employer, sample_request(surnames="Nowak"), key=key)

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency.key_reused"


async def test_another_employer_sees_neither_the_request_nor_its_history(gateway, actor):
    owner, stranger = actor(), actor()
    request_id = (await submit(gateway, owner, sample_request())).json()["id"]

    assert (
        await gateway.get(f"/api/requests/{request_id}", headers=stranger.headers)
    ).status_code == 404
    assert (
        await gateway.get(f"/api/history/requests/{request_id}", headers=stranger.headers)
    ).status_code == 404
    listed = (await gateway.get("/api/history/requests", headers=stranger.headers)).json()
    assert request_id not in str(listed)


async def test_a_request_without_a_token_is_refused_with_a_problem(gateway):
    response = await gateway.post("/api/requests", json=sample_request())

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_invalid_request_names_the_field_and_never_echoes_personal_data(gateway, actor):
    body = sample_request(surnames="Zbigniewska")
    body["person"]["birth_date"] = "02/04/1990"

    response = await submit(gateway, actor(), body)

    assert response.status_code == 422
    assert "person.birth_date" in str(response.json()["errors"])
    assert "Zbigniewska" not in response.text and "02/04/1990" not in response.text
