"""Checking scans costs the employer's decode quota (a bucket every replica shares): once it is
spent, the next upload is refused with 429 before it is decoded; other employers go on."""

import pytest

from intake.app import compose

CARD_COST_MB = 1011 * 638 * 4 / 1e6  # the sample card: 32-bit pixels, no conversion


@pytest.fixture(scope="module")
async def intake(settings, clock):
    # Room for three cards, and (nearly) nothing comes back during the test.
    quota = {"decode_quota_burst_mb": 3.5 * CARD_COST_MB, "decode_quota_mb_per_hour": 0.001}
    parts = compose(settings(**quota), clock=clock)
    yield parts
    await parts.messaging.producer.stop()
    await parts.database.close()


async def test_an_employer_past_its_decode_quota_is_refused_until_it_refills(
    tenant, other_tenant, scans
):
    drafts = [await tenant.new_draft(), await tenant.new_draft()]
    answers = [(await tenant.upload(drafts[i // 2], scans.sharp())).status_code for i in range(4)]

    assert answers == [201, 201, 201, 429]
    refused = await tenant.upload(drafts[1], scans.sharp())
    assert refused.json()["code"] == "document.quota_exceeded"
    assert int(refused.headers["retry-after"]) > 0
    other = await other_tenant.upload(await other_tenant.new_draft(), scans.sharp())
    assert other.status_code == 201


async def test_a_scan_refused_from_its_header_costs_nothing(tenant, scans):
    draft = await tenant.new_draft()
    for _ in range(5):
        unsupported = await tenant.upload(draft, b"GIF89a" + b"\0" * 64)
        assert unsupported.status_code == 415

    assert (await tenant.upload(draft, scans.sharp())).status_code == 201
