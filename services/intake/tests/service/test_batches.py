"""Bulk requests: each row validated like one request, one result per row, nothing made twice."""

import csv
import io
import uuid

from sqlalchemy import func, select

from contracts import RequestSubmitted
from eventing.parts import SESSIONS
from intake.api.common import CLOCK, OUTBOX
from intake.batching import process_chunk
from intake.tables import Request, outbox_messages

HEADER = "Nom;Prénoms;Sexe;Naissance;Nationalité;Pays;Ville;E-mail;Langue\n"
MAPPING = (
    '{"surnames":"Nom","given_names":"Prénoms","sex":"Sexe","birth_date":"Naissance",'
    '"nationality":"Nationalité","residence_country":"Pays","residence_city":"Ville",'
    '"notification_email":"E-mail","language":"Langue"}'
)
GOOD = "Kowalska;Anna;female;1990-04-02;PL;PL;Kraków;hr@example.be;fr\n"
BAD_DATE = "Nowak;Jan;male;1990-13-02;PL;PL;Gdańsk;hr@example.be;fr\n"
NOT_IDENTIFIABLE = "Silva;;unknown;;PT;PT;Lisboa;hr@example.be;fr\n"  # no birth date


async def upload_csv(tenant, text: str, **headers):
    return await tenant.call(
        "POST", "/batches", params={"mapping": MAPPING},
        files={"file": ("workers.csv", text.encode(), "text/csv")}, headers=headers,
    )  # fmt: skip


async def run_all(app) -> int:
    rounds = 0
    while await process_chunk(SESSIONS.of(app), OUTBOX.of(app), now=CLOCK.of(app)()):
        rounds += 1
    return rounds


async def test_each_row_is_accepted_with_its_request_or_refused_with_its_column_and_reason(
    tenant, app
):
    upload = await upload_csv(tenant, HEADER + GOOD + BAD_DATE + NOT_IDENTIFIABLE)
    assert upload.status_code == 202, upload.text
    await run_all(app)

    batch = (await tenant.call("GET", upload.headers["location"])).json()
    results = (await tenant.call("GET", f"{upload.headers['location']}/results?lang=fr")).json()

    assert upload.status_code == 202
    assert (batch["status"], batch["total"], batch["accepted"], batch["refused"]) == (
        "done",
        3,
        1,
        2,
    )
    accepted, bad_date, unidentified = results
    request = await tenant.call("GET", f"/requests/{accepted['request_id']}")
    assert accepted["status"] == "accepted" and request.json()["status"] == "submitted"
    assert bad_date["status"] == "refused" and bad_date["errors"][0]["field"] == "Naissance"
    assert bad_date["errors"][0]["code"] == "date.partial_format"
    assert "AAAA" in bad_date["errors"][0]["message"]  # French: YYYY is AAAA
    assert unidentified["errors"][0]["code"] == "mid.not_met"


async def test_the_requests_of_a_batch_carry_the_uploads_correlation_id(tenant, app, staged):
    caller = uuid.uuid4()
    other = "Nowak;Jan;male;1985-07-11;PL;PL;Gdańsk;hr@example.be;nl\n"
    upload = await upload_csv(tenant, HEADER + GOOD + other, **{"X-Correlation-Id": str(caller)})
    assert upload.status_code == 202, upload.text
    await run_all(app)  # after the upload's HTTP request has ended, as the worker does

    results = (await tenant.call("GET", f"{upload.headers['location']}/results")).json()
    events = [e for row in results for e in await staged(RequestSubmitted, row["request_id"])]
    assert len(events) == 2
    assert {e.correlation_id for e in events} == {caller}


async def test_a_re_uploaded_file_creates_nothing_twice(tenant, app):
    first = await upload_csv(tenant, HEADER + GOOD)
    await run_all(app)
    again = await upload_csv(tenant, HEADER + GOOD)
    await run_all(app)

    one = (await tenant.call("GET", f"{first.headers['location']}/results")).json()
    two = (await tenant.call("GET", f"{again.headers['location']}/results")).json()
    async with SESSIONS.of(app)() as tx:
        made = await tx.scalar(
            select(func.count())
            .select_from(Request)
            .where(Request.employer_id == tenant.employer_id)
        )
        staged = await tx.scalar(
            select(func.count())
            .select_from(outbox_messages)
            .where(
                outbox_messages.c.topic == RequestSubmitted.topic,
                outbox_messages.c.key == one[0]["request_id"],
            )
        )

    assert one[0]["request_id"] == two[0]["request_id"] and two[0]["status"] == "accepted"
    assert (made, staged) == (1, 1)


async def test_a_batch_key_uploaded_again_with_a_changed_row_refuses_that_row_and_keeps_the_rest(
    tenant, app
):
    other = GOOD.replace("Anna", "Maria")
    first = await upload_csv(tenant, HEADER + GOOD + other, **{"Idempotency-Key": "run-2026-12"})
    await run_all(app)
    changed = other.replace("Maria", "Marta")
    again = await upload_csv(tenant, HEADER + GOOD + changed, **{"Idempotency-Key": "run-2026-12"})
    await run_all(app)

    one = (await tenant.call("GET", f"{first.headers['location']}/results")).json()
    two = (await tenant.call("GET", f"{again.headers['location']}/results")).json()
    async with SESSIONS.of(app)() as tx:
        staged = await tx.scalar(
            select(func.count())
            .select_from(outbox_messages)
            .where(
                outbox_messages.c.topic == RequestSubmitted.topic,
                outbox_messages.c.key.in_([r["request_id"] for r in one]),
            )
        )

    assert [r["status"] for r in one] == ["accepted", "accepted"]
    assert two[0] == {**one[0], "row": 1} and two[1]["status"] == "refused"
    assert two[1]["errors"][0]["code"] == "idempotency.key_reused"
    assert staged == 2  # one RequestSubmitted per request made, none for the replay


async def test_a_json_batch_is_validated_row_by_row_like_single_requests(tenant, app, samples):
    body = {"person": {**{k: v for k, v in samples.person.items() if not k.startswith("document")}},
            **samples.address, **samples.submit}  # fmt: skip
    broken = {**body, "notification_email": "not-an-address"}

    upload = await tenant.call("POST", "/batches", json={"requests": [body, broken]},
                               headers={"Idempotency-Key": "payroll-run-2026-11"})  # fmt: skip
    await run_all(app)
    results = (await tenant.call("GET", f"{upload.headers['location']}/results?lang=nl")).json()

    assert [r["status"] for r in results] == ["accepted", "refused"]
    assert results[1]["errors"][0]["field"] == "notification_email"
    assert results[1]["errors"][0]["message"] == "Dit e-mailadres is niet geldig."


async def test_progress_counts_move_chunk_by_chunk_and_the_result_file_is_a_csv(tenant, app):
    rows = [GOOD.replace("Anna", f"Anna{chr(65 + n % 26)}{chr(65 + n // 26)}") for n in range(281)]
    upload = await upload_csv(tenant, HEADER + "".join(rows))
    await process_chunk(SESSIONS.of(app), OUTBOX.of(app), now=CLOCK.of(app)())

    midway = (await tenant.call("GET", upload.headers["location"])).json()
    await run_all(app)
    done = (await tenant.call("GET", upload.headers["location"])).json()
    result = await tenant.call("GET", f"{upload.headers['location']}/results?format=csv&lang=de")
    table = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))

    assert (midway["status"], midway["processed"], midway["total"]) == ("processing", 250, 281)
    assert done["status"] == "done" and done["processed"] == 281
    assert table[0] == ["Zeile", "Status", "Antrag", "Felder", "Gründe"] and len(table) == 282


async def test_another_employer_sees_no_batch(tenant, other_tenant, app):
    upload = await upload_csv(tenant, HEADER + GOOD)

    assert (await other_tenant.call("GET", upload.headers["location"])).status_code == 404
    assert (
        await other_tenant.call("GET", f"{upload.headers['location']}/results")
    ).status_code == 404


async def test_a_file_that_is_no_usable_csv_is_refused_whole(tenant):
    response = await upload_csv(tenant, "a,b\n1,2\n")

    assert (response.status_code, response.json()["code"]) == (422, "batch.no_columns")
