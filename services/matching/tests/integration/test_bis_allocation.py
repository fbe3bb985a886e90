"""BIS allocation against real PostgreSQL: concurrency, replays, exhaustion."""

import asyncio
from uuid import uuid4

import pytest
from sqlalchemy import func, select, text
from stdnum.be import bis as stdnum_bis

from matching.domain.bis import BisSlotsExhausted, compose, date_slots
from matching.repository.bis import allocate_for_request, load_ssin


async def allocate(sessions, request_id=None, *, birth_date="1990-07-28", sex="male"):
    async with sessions.begin() as session:
        return await allocate_for_request(session, request_id or uuid4(), birth_date, sex)


async def set_counter(sessions, *, slot, century, sex_class, last_serial):
    async with sessions.begin() as session:
        await session.execute(
            text("INSERT INTO bis_counters VALUES (:slot, :century, :sex_class, :last_serial)"),
            {"slot": slot, "century": century, "sex_class": sex_class, "last_serial": last_serial},
        )


async def test_fifty_concurrent_allocations_for_one_date_get_fifty_distinct_valid_numbers(
    bis_sessions,
):
    numbers = await asyncio.gather(*(allocate(bis_sessions) for _ in range(50)))

    assert len(set(numbers)) == 50
    assert all(stdnum_bis.is_valid(n) and stdnum_bis.get_gender(n) == "M" for n in numbers)
    assert sorted(int(n[6:9]) for n in numbers) == list(range(1, 100, 2))  # no serial lost


async def test_concurrent_men_women_and_unknown_sex_share_a_date_without_collisions(bis_sessions):
    sexes = ["male", "female", "unknown"] * 10

    numbers = await asyncio.gather(*(allocate(bis_sessions, sex=sex) for sex in sexes))

    assert len(set(numbers)) == 30 and all(stdnum_bis.is_valid(n) for n in numbers)
    assert {n[:6] for n, sex in zip(numbers, sexes, strict=True) if sex == "unknown"} == {"902728"}


async def test_a_replayed_request_gets_the_same_number_and_consumes_no_serial(bis_sessions):
    request_id = uuid4()

    first = await allocate(bis_sessions, request_id)
    again = await allocate(bis_sessions, request_id)
    other = await allocate(bis_sessions)

    assert again == first
    assert int(other[6:9]) == int(first[6:9]) + 2


async def test_concurrent_replays_of_one_request_get_one_number(bis_sessions):
    request_id = uuid4()

    numbers = await asyncio.gather(*(allocate(bis_sessions, request_id) for _ in range(10)))

    assert len(set(numbers)) == 1
    async with bis_sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM bis_numbers")) == 1
        assert await session.scalar(text("SELECT last_serial FROM bis_counters")) == 1
        assert await load_ssin(session, request_id) == numbers[0]


async def test_a_rolled_back_allocation_gives_its_serial_back(bis_sessions):
    with pytest.raises(RuntimeError):
        async with bis_sessions.begin() as session:
            await allocate_for_request(session, uuid4(), "1990-07-28", "female")
            raise RuntimeError("the handler failed after allocating")

    assert (await allocate(bis_sessions, sex="female"))[6:9] == "002"


async def test_an_exhausted_date_falls_back_to_month_and_day_0000(bis_sessions):
    await set_counter(bis_sessions, slot="904728", century=1900, sex_class="male", last_serial=995)

    last_of_date = await allocate(bis_sessions)
    first_fallback = await allocate(bis_sessions)

    assert last_of_date[:9] == "904728997"
    assert first_fallback[:9] == "904000001"
    assert stdnum_bis.get_birth_year(first_fallback) == 1990
    assert stdnum_bis.get_birth_date(first_fallback) is None


async def test_an_exhausted_fallback_moves_on_to_0001(bis_sessions):
    await set_counter(
        bis_sessions, slot="904700", century=1900, sex_class="female", last_serial=998
    )
    await set_counter(
        bis_sessions, slot="904000", century=1900, sex_class="female", last_serial=998
    )

    number = await allocate(bis_sessions, birth_date="1990-07", sex="female")

    assert number[:9] == "904001002" and stdnum_bis.is_valid(number)


async def test_exhaustion_for_one_sex_leaves_the_other_sex_on_the_real_date(bis_sessions):
    await set_counter(bis_sessions, slot="904728", century=1900, sex_class="male", last_serial=997)

    assert (await allocate(bis_sessions, sex="female"))[:9] == "904728002"
    assert (await allocate(bis_sessions, sex="male"))[:9] == "904000001"


async def test_a_number_that_already_exists_is_skipped_not_reused(bis_sessions):
    taken = compose("904728", serial=1, century=1900)  # e.g. imported from the BIS register
    async with bis_sessions.begin() as session:
        await session.execute(
            text("INSERT INTO bis_numbers (ssin, request_id) VALUES (:ssin, :rid)"),
            {"ssin": taken, "rid": uuid4()},
        )

    assert (await allocate(bis_sessions))[:9] == "904728003"


async def test_when_every_slot_is_exhausted_allocation_fails_loudly(bis_sessions):
    async with bis_sessions.begin() as session:
        for slot in date_slots("1990", sex="male"):
            await session.execute(
                text("INSERT INTO bis_counters VALUES (:p, :c, 'male', 997)"),
                {"p": slot.prefix, "c": slot.century},
            )

    with pytest.raises(BisSlotsExhausted):
        await allocate(bis_sessions, birth_date="1990")
    async with bis_sessions() as session:
        assert await session.scalar(select(func.count()).select_from(text("bis_numbers"))) == 0


async def test_losing_a_race_for_a_request_gives_a_slots_first_serial_back(bis_sessions):
    request_id = uuid4()  # a new version of it moved the birth date: the loser's slot is new
    async with bis_sessions.begin() as winner:
        first = await allocate_for_request(winner, request_id, "1990-07-28", "male")
        loser = asyncio.create_task(allocate(bis_sessions, request_id, birth_date="1985-03-04"))
        await asyncio.sleep(0.5)  # the loser waits on the winner's number for that request
    assert await loser == first

    async with bis_sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM bis_counters")) == 1
    assert (await allocate(bis_sessions, birth_date="1985-03-04"))[6:9] == "001"
