"""Token buckets in PostgreSQL: all or nothing across a call's buckets, refilled by the clock."""

import asyncio

import pytest
from sqlalchemy import MetaData

from eventing.buckets import Limit, TokenBuckets, define_bucket_table


@pytest.fixture
async def buckets(db) -> TokenBuckets:
    metadata = MetaData()
    table = define_bucket_table(metadata, "test_buckets")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return TokenBuckets(db.engine, table)


async def tokens(db, key: str) -> float:
    return await db.scalar("SELECT tokens FROM test_buckets WHERE key = :key", key=key)


async def test_a_call_spends_from_every_bucket_or_from_none(db, buckets):
    roomy, tight = Limit(per_minute=60, burst=5), Limit(per_minute=60, burst=2)

    spent = [await buckets.take({"user:a": roomy, "employer:e": tight}) for _ in range(3)]

    assert spent[:2] == [0.0, 0.0] and 0 < spent[2] <= 1.0  # the tight one waits ~1 s
    # The refused call spent nothing, not even from the bucket that could pay.
    assert await tokens(db, "user:a") == pytest.approx(3.0, abs=0.1)
    assert await tokens(db, "employer:e") == pytest.approx(0.0, abs=0.1)


async def test_a_bucket_fills_again_with_time_up_to_its_burst(db, buckets):
    limit = Limit(per_minute=600, burst=2)  # 10 tokens a second
    assert await buckets.take({"k": limit}, cost=2) == 0.0
    assert await buckets.take({"k": limit}) > 0

    await asyncio.sleep(0.3)

    assert await buckets.take({"k": limit}) == 0.0
    await asyncio.sleep(0.5)
    assert await buckets.take({"k": limit}) == 0.0
    assert await tokens(db, "k") <= 1.0 + 0.1  # capped at the burst, then one spent


async def test_concurrent_calls_never_spend_more_than_the_bucket_holds(db, buckets):
    limit = Limit(per_minute=0.001, burst=10)  # no refill to speak of
    await buckets.take({"shared": limit})  # the bucket exists: 9 left

    answers = await asyncio.gather(*(buckets.take({"shared": limit}) for _ in range(15)))

    assert sum(1 for wait in answers if wait == 0) == 9
    assert await tokens(db, "shared") == pytest.approx(0.0, abs=0.01)
