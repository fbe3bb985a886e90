"""Scans are purged a configurable time after the request is final, and each purge is logged."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import select

from contracts import RequestRejected
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.handlers import on_request_rejected
from intake.retention import RetentionWorker
from intake.tables import DocumentPurge


async def submitted_with_a_scan(tenant) -> tuple[str, str]:
    """A submitted request and the id of its one scan."""
    draft_id = await tenant.filled_draft()
    document = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"][
        "pages"
    ][0]
    request = (await tenant.submit(draft_id)).json()
    return request["id"], document["id"]


async def purges_of(app, document_id: str) -> list[DocumentPurge]:
    async with SESSIONS.of(app)() as tx:
        return list(
            await tx.scalars(
                select(DocumentPurge).where(DocumentPurge.document_id == uuid.UUID(document_id))
            )
        )


async def test_scans_of_a_cancelled_request_are_purged_after_30_days_not_before(
    tenant, app, clock, intake
):
    request_id, document_id = await submitted_with_a_scan(tenant)
    await tenant.call("POST", f"/requests/{request_id}/cancel")

    clock.advance(days=29)
    await intake.retention.purge_due()
    assert (await tenant.call("GET", f"/documents/{document_id}")).status_code == 200

    clock.advance(days=2)
    await intake.retention.purge_due()

    gone = await tenant.call("GET", f"/documents/{document_id}")
    assert (gone.status_code, gone.json()["code"]) == (410, "document.purged")
    [purge] = await purges_of(app, document_id)
    assert str(purge.request_id) == request_id and purge.reason == "retention_after_final"
    assert abs(purge.purged_at - clock()) < timedelta(seconds=30)  # the moved clock, not today


async def test_a_second_purge_round_changes_nothing(tenant, app, clock, intake):
    request_id, document_id = await submitted_with_a_scan(tenant)
    await tenant.call("POST", f"/requests/{request_id}/cancel")
    clock.advance(days=31)

    await intake.retention.purge_due()
    await intake.retention.purge_due()

    assert len(await purges_of(app, document_id)) == 1


async def test_scans_of_a_request_still_open_are_kept_however_old(tenant, app, clock, intake):
    _, document_id = await submitted_with_a_scan(tenant)
    clock.advance(days=400)

    await intake.retention.purge_due()

    assert (await tenant.call("GET", f"/documents/{document_id}")).status_code == 200


async def test_a_rejection_from_matching_starts_the_retention_period(tenant, app, clock, intake):
    request_id, document_id = await submitted_with_a_scan(tenant)
    async with transaction(SESSIONS.of(app)) as tx:
        await on_request_rejected(
            RequestRejected(
                producer="matching",
                request_id=uuid.UUID(request_id),
                employer_id=tenant.employer_id,
                reason_code="not_eligible",
            ),
            tx,
        )
    clock.advance(days=31)

    await intake.retention.purge_due()

    assert (await tenant.call("GET", f"/documents/{document_id}")).status_code == 410


async def test_the_worker_purges_on_its_own_schedule(tenant, app, settings, clock):
    request_id, document_id = await submitted_with_a_scan(tenant)
    await tenant.call("POST", f"/requests/{request_id}/cancel")
    worker = RetentionWorker(
        SESSIONS.of(app),
        retention=timedelta(days=1),
        interval_s=0.05,
        clock=lambda: clock() + timedelta(days=2),
    )

    await worker.start()
    try:
        for _ in range(100):
            if await purges_of(app, document_id):
                break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()

    assert len(await purges_of(app, document_id)) == 1
