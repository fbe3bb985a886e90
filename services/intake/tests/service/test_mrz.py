"""The zone of an uploaded scan pre-fills the wizard and flags what was typed otherwise."""

import asyncio
import io
import logging
import uuid

import pytest
import structlog
from PIL import Image, ImageDraw
from sqlalchemy import select

from contracts import RequestRejected, ReviewOpened
from devstack.scans import Holder, png, specimen
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.api.common import MRZ, SETTINGS
from intake.handlers import HANDLERS
from intake.tables import DocumentReading

HOLDER = Holder(
    surname="NOWAK", given_names="ADAM MAREK", document_number="EA4455667", country="POL",
    nationality="POL", birth_date="880517", sex="M", expiry_date="320229",
)  # fmt: skip


@pytest.fixture
async def reading(app, monkeypatch):
    """The MRZ worker running, as in the service (tests run without the app's lifespan), and
    an upload budget long enough for a loaded test machine."""
    monkeypatch.setattr(SETTINGS.of(app), "mrz_wait_s", 60.0)
    await MRZ.of(app).start()
    yield MRZ.of(app)
    await MRZ.of(app).stop()


async def read_zone_of(tenant, draft_id: str) -> dict:
    """The draft's MRZ once its reading is done (the worker may still be at it)."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        mrz = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["mrz"]
        if mrz["status"] != "pending" or asyncio.get_running_loop().time() > deadline:
            return mrz
        await asyncio.sleep(0.2)


async def test_an_uploaded_passport_answers_with_its_zone_within_the_wait_budget(tenant, reading):
    draft_id = await tenant.new_draft()

    page = await tenant.upload(
        draft_id, png(specimen(HOLDER, kind="td3")), content_type="image/png"
    )

    mrz = page.json()["mrz"]
    assert page.status_code == 201 and mrz["status"] == "read" and mrz["valid"] is True
    assert mrz["trusted"] is True and mrz["unsure"] == [] and mrz["repaired"] == []
    assert mrz["prefill"]["person"] == {
        "surnames": "Nowak", "given_names": "Adam Marek", "sex": "male",
        "birth_date": "1988-05-17", "nationality": "PL", "document_number": "EA4455667",
        "document_expiry_date": "2032-02-29",
    }  # fmt: skip
    assert mrz["prefill"]["document"] == {"type": "passport", "issuing_country": "PL"}


async def test_a_pdf_is_read_page_by_page_until_a_zone(tenant, reading):
    """A visa page without a zone first, then the passport's data page."""
    blank = Image.new("RGB", (1476, 1039), (236, 232, 222))
    ImageDraw.Draw(blank).text((80, 80), "VISA  SPECIMEN", fill=(40, 40, 60))
    buffer = io.BytesIO()
    blank.save(buffer, "PDF", save_all=True, resolution=300,
               append_images=[specimen(HOLDER, kind="td3").convert("RGB")])  # fmt: skip
    draft_id = await tenant.new_draft()

    page = await tenant.upload(draft_id, buffer.getvalue(), content_type="application/pdf")
    mrz = await read_zone_of(tenant, draft_id)

    assert page.status_code == 201 and page.json()["pages"] == 2
    assert mrz["status"] == "read" and mrz["format"] == "td3"
    assert mrz["prefill"]["person"]["surnames"] == "Nowak"
    assert mrz["prefill"]["person"]["birth_date"] == "1988-05-17"


async def test_the_draft_flags_each_typed_field_that_differs_from_the_zone(
    tenant, reading, samples
):
    draft_id = await tenant.new_draft()
    await tenant.upload(draft_id, png(specimen(HOLDER, kind="td1")), content_type="image/png")
    typed = {**samples.person, "surnames": "Nowak", "given_names": "Adam Marek", "sex": "male",
             "birth_date": "1988-05-18", "nationality": "PL", "document_number": "EA4455667",
             "document_expiry_date": "2032-02-29"}  # fmt: skip

    await tenant.call("PUT", f"/drafts/{draft_id}/person", json=typed)
    mrz = await read_zone_of(tenant, draft_id)

    assert mrz["format"] == "td1" and mrz["differences"] == ["birth_date"]


async def test_without_the_worker_the_upload_answers_at_once_and_the_reading_waits(tenant):
    draft_id = await tenant.new_draft()

    page = await tenant.upload(draft_id, png(specimen(HOLDER)), content_type="image/png")

    assert page.status_code == 201 and page.json()["mrz"]["status"] == "pending"


async def test_an_upload_is_never_held_past_its_budget_the_draft_shows_the_reading_later(
    tenant, reading, monkeypatch, app
):
    monkeypatch.setattr(SETTINGS.of(app), "mrz_wait_s", 0.05)
    draft_id = await tenant.new_draft()
    started = asyncio.get_running_loop().time()

    page = await tenant.upload(draft_id, png(specimen(HOLDER)), content_type="image/png")
    answered_in = asyncio.get_running_loop().time() - started

    assert page.json()["mrz"]["status"] == "pending" and answered_in < 3.0
    assert (await read_zone_of(tenant, draft_id))["status"] == "read"


async def test_an_agent_sees_the_zone_beside_the_request_under_review(
    tenant, reading, app, client, token
):
    draft_id = await tenant.filled_draft(scan=png(specimen(HOLDER)))
    await read_zone_of(tenant, draft_id)
    request_id = (await tenant.submit(draft_id)).json()["id"]
    agent = token(None, roles=("agent",))
    before = await client.get(f"/requests/{request_id}/mrz", headers=agent)
    async with transaction(SESSIONS.of(app)) as tx:
        opened = ReviewOpened(producer="matching", request_id=uuid.UUID(request_id),
                              employer_id=tenant.employer_id, case_id=uuid.uuid4(),
                              reason="ambiguous_candidates")  # fmt: skip
        await HANDLERS[ReviewOpened](opened, tx)

    after = await client.get(f"/requests/{request_id}/mrz", headers=agent)

    assert before.status_code == 404  # not under research: agents see nothing of it
    assert after.status_code == 200 and after.json()["status"] == "read"
    assert "surnames" in after.json()["differences"]  # typed Kowalska, the zone says NOWAK


async def test_what_was_read_is_deleted_with_the_scan_at_retention_and_never_logged(
    tenant, reading, app, clock, intake
):
    with structlog.testing.capture_logs() as logs:
        draft_id = await tenant.filled_draft(scan=png(specimen(HOLDER)))
        await read_zone_of(tenant, draft_id)
        request_id = (await tenant.submit(draft_id)).json()["id"]
    async with transaction(SESSIONS.of(app)) as tx:
        rejected = RequestRejected(producer="matching", request_id=uuid.UUID(request_id),
                                   employer_id=tenant.employer_id, reason_code="other")  # fmt: skip
        await HANDLERS[RequestRejected](rejected, tx)
    clock.advance(days=31)

    await intake.retention.purge_due()

    async with SESSIONS.of(app)() as tx:
        page = uuid.UUID(
            (await tenant.call("GET", f"/requests/{request_id}")).json()["data"]["documents"][0][
                "document_id"
            ]
        )
        assert (
            await tx.scalar(select(DocumentReading).where(DocumentReading.document_id == page))
            is None
        )
    said = repr(logs)
    assert any(entry["event"] == "mrz.read" for entry in logs)
    assert not any(secret in said for secret in ("NOWAK", "EA4455667", "880517", "Nowak"))
    assert logging.getLogger("intake.mrz").level in (logging.NOTSET, logging.INFO, logging.DEBUG)
