"""A social secretariat acts for the employers that mandated it, one at a time: each request
belongs to the employer and records the secretariat; tenancy stays as strict."""

import uuid

from contracts import RequestSubmitted
from eventing.parts import SESSIONS
from intake.api.common import CLOCK, OUTBOX
from intake.batching import process_chunk
from intake.tables import Request


def whole_request(samples) -> dict:
    person = {k: v for k, v in samples.person.items() if not k.startswith("document_")}
    return {"person": person, **samples.address, **samples.submit}


async def test_a_secretariat_sends_a_request_for_a_mandating_employer_who_owns_it(
    client, token, samples, staged, app
):
    secretariat, employer, stranger = "0811111111", "0822222222", "0833333333"
    headers = token(secretariat, user="sec-1", mandates=[employer, stranger[:-1] + "4"])

    sent = await client.post(
        "/requests",
        json=whole_request(samples),
        headers={**headers, "X-Idpro-Employer": employer, "Idempotency-Key": str(uuid.uuid4())},
    )

    assert sent.status_code == 201, sent.text
    request_id = sent.json()["id"]
    assert sent.json()["mandatary_id"] == secretariat
    [event] = await staged(RequestSubmitted, request_id)
    assert (event.employer_id, event.mandatary_id) == (employer, secretariat)
    async with SESSIONS.of(app)() as tx:
        row = await tx.get(Request, uuid.UUID(request_id))
    assert (row.employer_id, row.mandatary_id) == (employer, secretariat)
    # The employer's own users read it; the secretariat reads it only while acting for them.
    assert (await client.get(f"/requests/{request_id}", headers=token(employer))).status_code == 200
    as_itself = await client.get(f"/requests/{request_id}", headers=headers)
    assert as_itself.status_code == 404
    acting = {**headers, "X-Idpro-Employer": employer}
    assert (await client.get(f"/requests/{request_id}", headers=acting)).status_code == 200


async def test_an_employer_that_gave_no_mandate_cannot_be_named(client, token, samples):
    headers = token("0811111111", user="sec-2", mandates=["0822222222"])

    refused = await client.post(
        "/requests",
        json=whole_request(samples),
        headers={**headers, "X-Idpro-Employer": "0899999999", "Idempotency-Key": "k-mandate-1"},
    )

    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "auth.no_mandate"
    assert body["errors"][0]["field"] == "x-idpro-employer"
    assert "0899999999" not in refused.text  # the value is never echoed


async def test_a_token_without_mandates_acts_only_for_its_own_employer(client, token):
    headers = token("0811111111", user="hr-3")

    response = await client.get("/drafts", headers={**headers, "X-Idpro-Employer": "0822222222"})

    assert response.status_code == 403


async def test_a_batch_a_secretariat_uploads_for_an_employer_records_it_on_every_request(
    client, token, samples, app, staged
):
    secretariat, employer = "0811111111", "0844444444"
    headers = {
        **token(secretariat, user="sec-4", mandates=[employer]),
        "X-Idpro-Employer": employer,
        "Idempotency-Key": "payroll-2026-12",
    }

    upload = await client.post(
        "/batches", json={"requests": [whole_request(samples)]}, headers=headers
    )
    assert upload.status_code in (201, 202), upload.text
    while await process_chunk(SESSIONS.of(app), OUTBOX.of(app), now=CLOCK.of(app)()):
        pass

    results = (await client.get(f"{upload.headers['location']}/results", headers=headers)).json()
    [event] = await staged(RequestSubmitted, results[0]["request_id"])
    assert (event.employer_id, event.mandatary_id) == (employer, secretariat)
