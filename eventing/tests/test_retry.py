"""Which failures are retried, and how long the consumer waits between attempts."""

import asyncpg
import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from eventing.consumer import RetryPolicy, TransientError, is_transient
from eventing.workers import Backoff


class Strict(BaseModel):
    count: int


def validation_error() -> ValidationError:
    try:
        Strict.model_validate({"count": "many"})
    except ValidationError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "error",
    [
        TransientError("the registry is not ready"),
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
        asyncpg.exceptions.ConnectionDoesNotExistError("gone"),
        sa_exc.OperationalError("SELECT 1", {}, ConnectionResetError()),
        sa_exc.DBAPIError("SELECT 1", {}, Exception("x"), connection_invalidated=True),
    ],
    ids=lambda error: type(error).__name__,
)
def test_infrastructure_hiccups_are_transient(error):
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [ValueError("bad"), LookupError("no such person"), KeyError("x"), validation_error()],
    ids=lambda error: type(error).__name__,
)
def test_a_property_of_the_message_is_not_transient(error):
    assert not is_transient(error)


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"], ids=["serialization", "deadlock"])
async def test_a_serialization_failure_or_deadlock_from_the_database_is_transient(db, sqlstate):
    with pytest.raises(sa_exc.DBAPIError) as raised:
        async with db.engine.begin() as conn:
            await conn.execute(
                text(f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{sqlstate}'; END $$")
            )

    assert is_transient(raised.value)


async def test_a_constraint_violation_from_the_database_is_not_transient(db):
    with pytest.raises(sa_exc.IntegrityError) as raised:
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO effects (id, event_id, handler) VALUES "
                    "(1, gen_random_uuid(), 'a'), (1, gen_random_uuid(), 'b')"
                )
            )

    assert not is_transient(raised.value)


def test_the_backoff_doubles_from_the_initial_delay_with_jitter_and_is_capped():
    policy = RetryPolicy(backoff_initial_s=0.2, backoff_max_s=10.0)

    for attempt, ceiling in [(1, 0.2), (2, 0.4), (3, 0.8), (6, 6.4), (7, 10.0), (30, 10.0)]:
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays), attempt
        assert len(set(delays)) > 1  # jittered: replicas that failed together do not retry together


def test_the_backoff_stays_capped_however_many_attempts_were_made():
    policy = RetryPolicy(backoff_initial_s=0.2, backoff_max_s=10.0)

    assert 5.0 <= policy.delay(5000) <= 10.0


def test_every_loop_backs_off_by_one_rule_that_survives_a_night_long_outage():
    backoff = Backoff(0.2, 10.0)

    assert [backoff.ceiling(n) for n in range(1, 8)] == [0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 10.0]
    assert 5.0 <= backoff.delay(5000) <= 10.0  # a huge exponent used to overflow and kill a loop
