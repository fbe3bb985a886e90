"""BIS allocation in PostgreSQL: a counter row per (slot, century, sex), a row per number given."""

from datetime import date
from uuid import UUID

from sqlalchemy import select
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
from matching.tables import bis_counters as _counters
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
    if (ssin := await load_ssin(session, request_id)) is not None:
        return ssin
    for slot in date_slots(birth_date, sex=sex):
        if (ssin := await _allocate_in_slot(session, slot, request_id=request_id)) is not None:
            return ssin
    raise BisSlotsExhausted(f"no serial left for sex {sex} in any slot of that birth date")


async def _allocate_in_slot(session: AsyncSession, slot: Slot, *, request_id: UUID) -> str | None:
    """Take the next serial of `slot` for `request_id`; None when the slot is exhausted."""
    while True:
        async with session.begin_nested() as savepoint:
            serial = await _advance_counter(session, slot)
            if serial is None:
                return None
            ssin = compose_in(slot, serial=serial)
            if await _insert_number(session, ssin=ssin, request_id=request_id):
                return ssin
            if (existing := await load_ssin(session, request_id)) is not None:
                # A concurrent replay of this request committed first: give our serial back.
                await savepoint.rollback()
                return existing
            # The number exists already (given outside these counters): its serial stays burned.


async def _advance_counter(session: AsyncSession, slot: Slot) -> int | None:
    """Move the slot's counter to its next serial and return it; None when past the last serial."""
    serials = SERIALS[slot.sex]
    key = {"slot": slot.prefix, "century": slot.century, "sex_class": slot.sex}
    # The upsert takes the counter row's lock until commit: allocations for one slot queue up, and
    # a rolled-back transaction takes its increment with it, so no serial is lost or given twice.
    # When the WHERE fails the row is still locked and left as is: the slot is exhausted.
    stmt = (
        insert(_counters)
        .values(**key, last_serial=serials.first)
        .on_conflict_do_update(
            index_elements=list(key),
            set_={"last_serial": _counters.c.last_serial + serials.step},
            where=_counters.c.last_serial + serials.step <= serials.last,
        )
        .returning(_counters.c.last_serial)
    )
    return await session.scalar(stmt)


async def _insert_number(session: AsyncSession, *, ssin: str, request_id: UUID) -> bool:
    """Record `ssin` for `request_id`; False if either is taken (waits out a concurrent insert)."""
    stmt = (
        insert(_numbers)
        .values(ssin=ssin, request_id=request_id)
        .on_conflict_do_nothing()
        .returning(_numbers.c.ssin)
    )
    return await session.scalar(stmt) is not None
