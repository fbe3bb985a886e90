"""Outbox replay (operator command, reconcilers) and the purge of old plumbing rows, on a real
database: what is replayed is unpublished again, what is past its window is gone."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import insert

from eventing.purge import PlumbingPurge
from eventing.replay import replay_rows, replay_since
from eventing.serve import parse_since

CHANNEL = "outbox_replaytest"


async def add_outbox(db, *, created_ago: timedelta, published_ago: timedelta | None) -> int:
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        return await conn.scalar(
            insert(db.outbox)
            .values(
                event_id=uuid4(),
                topic="t",
                key="k",
                payload={},
                created_at=now - created_ago,
                published_at=None if published_ago is None else now - published_ago,
            )
            .returning(db.outbox.c.id)
        )


async def unpublished(db) -> set[int]:
    rows = await db.rows("SELECT id FROM outbox_messages WHERE published_at IS NULL")
    return {row.id for row in rows}


async def test_replay_since_unpublishes_only_what_was_created_since_then(db):
    old = await add_outbox(db, created_ago=timedelta(hours=3), published_ago=timedelta(hours=3))
    recent = await add_outbox(db, created_ago=timedelta(minutes=20), published_ago=timedelta(0))
    pending = await add_outbox(db, created_ago=timedelta(minutes=5), published_ago=None)

    async with db.engine.begin() as conn:
        count = await replay_since(conn, db.outbox, CHANNEL, datetime.now(UTC) - timedelta(hours=1))

    assert count == 1
    assert await unpublished(db) == {recent, pending}
    assert old not in await unpublished(db)


async def test_replay_rows_unpublishes_the_chosen_rows(db):
    first = await add_outbox(db, created_ago=timedelta(hours=1), published_ago=timedelta(hours=1))
    await add_outbox(db, created_ago=timedelta(hours=1), published_ago=timedelta(hours=1))

    async with db.engine.begin() as conn:
        assert await replay_rows(conn, db.outbox, CHANNEL, [first]) == 1

    assert await unpublished(db) == {first}


async def test_the_purge_deletes_published_rows_and_inbox_rows_past_their_windows_only(db):
    await add_outbox(db, created_ago=timedelta(days=9), published_ago=timedelta(days=8))
    kept = await add_outbox(db, created_ago=timedelta(days=2), published_ago=timedelta(days=2))
    never_sent = await add_outbox(db, created_ago=timedelta(days=20), published_ago=None)
    async with db.engine.begin() as conn:
        now = datetime.now(UTC)
        await conn.execute(
            insert(db.inbox),
            [
                {"consumer": "c", "event_id": uuid4(), "topic": "t", "processed_at": now - age}
                for age in (timedelta(days=31), timedelta(days=40), timedelta(days=10))
            ],
        )
    purge = PlumbingPurge(
        db.engine,
        db.outbox,
        db.inbox,
        outbox_retention=timedelta(days=7),
        inbox_retention=timedelta(days=30),
        interval_s=3600,
        batch_size=1,  # several batches
    )

    assert await purge.purge() == (1, 2)
    ids = {row.id for row in await db.rows("SELECT id FROM outbox_messages")}
    assert ids == {kept, never_sent}  # an unpublished row is never purged
    assert await db.scalar("SELECT count(*) FROM processed_events") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("90s", timedelta(seconds=90)),
    ],
)
def test_since_takes_an_age(text, expected):
    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert parse_since(text, now=now) == now - expected


def test_since_takes_an_iso_time_in_utc_unless_it_names_a_zone():
    assert parse_since("2026-12-02T01:00:00") == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert parse_since("2026-12-02T02:00:00+01:00") == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
