"""BIS allocation in PostgreSQL: a counter row per (slot, century, sex), a row per number given."""

from datetime import date
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.bis import (
    SERIALS,
    BirthDate,
    BisSlotsExhausted,
    Sex,
    Slot,
    compose_in,
    date_slots,
)
from matching.tables import bis_numbers as _numbers


async def load_ssin(session: AsyncSession, request_id: UUID) -> str | None:
    """The number already allocated to `request_id`, if any."""
    return await session.scalar(select(_numbers.c.ssin).where(_numbers.c.request_id == request_id))


# Positional on purpose: this is the signature the handlers call, (session, request, date, sex).
async def allocate_for_request(
    session: AsyncSession,
    request_id: UUID,
    birth_date: str | date | BirthDate | None,
    sex: Sex,
) -> str:
    """The BIS number of `request_id`: allocated on the first call, the same one on every replay."""
    for slot in date_slots(birth_date, sex=sex):
        if (ssin := await _allocate_in_slot(session, slot, request_id=request_id)) is not None:
            return ssin
    raise BisSlotsExhausted(f"no serial left for sex {sex} in any slot of that birth date")


# The number already given to the request, or else the slot's counter moved to its next serial,
# in one round trip (a replay touches no counter). The upsert takes the counter row's lock until
# commit: allocations for one slot queue up, and a rolled-back transaction takes its increment
# with it, so no serial is lost or given twice. When the DO UPDATE's WHERE fails the row is still
# locked and left as is: the slot is exhausted (serial NULL).
_EXISTING_OR_ADVANCE = text(
    "WITH existing AS (SELECT ssin FROM bis_numbers WHERE request_id = CAST(:request_id AS uuid)),"
    " advanced AS (INSERT INTO bis_counters AS c (slot, century, sex_class, last_serial)"
    " SELECT CAST(:slot AS varchar), CAST(:century AS smallint), CAST(:sex_class AS varchar),"
    " CAST(:first AS smallint) WHERE NOT EXISTS (SELECT 1 FROM existing)"
    " ON CONFLICT (slot, century, sex_class) DO UPDATE"
    " SET last_serial = c.last_serial + CAST(:step AS smallint)"
    " WHERE c.last_serial + CAST(:step AS smallint) <= CAST(:last AS smallint)"
    " RETURNING c.last_serial)"
    " SELECT (SELECT ssin FROM existing) AS ssin, (SELECT last_serial FROM advanced) AS serial"
)
# Giving a serial back: this transaction holds the counter row's lock since it advanced it, so
# the row still holds that serial; the first serial of a slot leaves no row, as before it.
_GIVE_BACK = text(
    "WITH counter AS (SELECT CAST(:slot AS varchar) AS slot, CAST(:century AS smallint) AS century,"
    " CAST(:sex_class AS varchar) AS sex_class, CAST(:serial AS smallint) AS serial,"
    " CAST(:serial AS smallint) = CAST(:first AS smallint) AS first),"
    " back AS (UPDATE bis_counters b SET last_serial = b.last_serial - CAST(:step AS smallint)"
    " FROM counter k WHERE (b.slot, b.century, b.sex_class, b.last_serial)"
    " = (k.slot, k.century, k.sex_class, k.serial) AND NOT k.first RETURNING 1)"
    " DELETE FROM bis_counters b USING counter k WHERE (b.slot, b.century, b.sex_class,"
    " b.last_serial) = (k.slot, k.century, k.sex_class, k.serial) AND k.first"
)


async def _allocate_in_slot(session: AsyncSession, slot: Slot, *, request_id: UUID) -> str | None:
    """Take the next serial of `slot` for `request_id`; None when the slot is exhausted.

    Two round trips in the common case (the counter, then the number), where a savepoint around
    them took five; the rare race a savepoint undid is undone by hand (_GIVE_BACK)."""
    serials = SERIALS[slot.sex]
    key = {"slot": slot.prefix, "century": slot.century, "sex_class": slot.sex}
    steps = {"first": serials.first, "step": serials.step, "last": serials.last}
    while True:
        row = (
            await session.execute(_EXISTING_OR_ADVANCE, {**key, **steps, "request_id": request_id})
        ).one()
        if row.ssin is not None:
            return row.ssin
        if row.serial is None:
            return None
        ssin = compose_in(slot, serial=row.serial)
        if await _insert_number(session, ssin=ssin, request_id=request_id):
            return ssin
        if (existing := await load_ssin(session, request_id)) is not None:
            # A concurrent replay of this request committed first: give our serial back.
            await session.execute(_GIVE_BACK, {**key, **steps, "serial": row.serial})
            return existing
        # The number exists already (given outside these counters): its serial stays burned.


async def _insert_number(session: AsyncSession, *, ssin: str, request_id: UUID) -> bool:
    """Record `ssin` for `request_id`; False if either is taken (waits out a concurrent insert)."""
    stmt = (
        insert(_numbers)
        .values(ssin=ssin, request_id=request_id)
        .on_conflict_do_nothing()
        .returning(_numbers.c.ssin)
    )
    return await session.scalar(stmt) is not None
