"""A request that stays `submitted` too long has its RequestSubmitted published again; one that
moved on, or whose event went out only now, is left alone."""

from datetime import timedelta

from sqlalchemy import text

from intake.reconciler import Reconciler


def reconciler(intake) -> Reconciler:
    database = intake.database
    return Reconciler(
        database.engine,
        database.outbox_table,
        database.outbox.channel,
        redrive_after=timedelta(minutes=10),
        interval_s=60,
    )


async def submitted(tenant) -> str:
    return (await tenant.submit(await tenant.filled_draft())).json()["id"]


async def age(intake, request_id: str, *, minutes: int, status: str | None = None) -> None:
    """As if the request's event was published, and the request last moved, `minutes` ago."""
    async with intake.database.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE outbox_messages SET published_at = now() - make_interval(mins => :m)"
                " WHERE key = :id"
            ),
            {"m": minutes, "id": request_id},
        )
        await conn.execute(
            text(
                "UPDATE requests SET updated_at = now() - make_interval(mins => :m),"
                " status = coalesce(:status, status) WHERE id = CAST(:id AS uuid)"
            ),
            {"m": minutes, "id": request_id, "status": status},
        )


async def unpublished(intake, request_id: str) -> list[str]:
    async with intake.database.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT topic FROM outbox_messages WHERE key = :id AND published_at IS NULL"),
            {"id": request_id},
        )
        return [row.topic for row in rows]


async def test_a_request_submitted_too_long_ago_is_redriven_once_per_period(tenant, intake):
    stuck = await submitted(tenant)
    decided = await submitted(tenant)
    recent = await submitted(tenant)
    await age(intake, stuck, minutes=30)
    await age(intake, decided, minutes=30, status="under_review")
    await age(intake, recent, minutes=1)

    first = await reconciler(intake).redrive()
    await age(intake, stuck, minutes=0)  # the relay published it again just now
    second = await reconciler(intake).redrive()

    assert first == 1 and second == 0
    assert await unpublished(intake, decided) == [] and await unpublished(intake, recent) == []
    await age(intake, stuck, minutes=30)
    assert await reconciler(intake).redrive() == 1
    assert await unpublished(intake, stuck) == ["intake.request-submitted"]
