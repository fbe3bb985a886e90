"""Every background loop survives any exception, backs off, and says how it is doing."""

import asyncio

import asyncpg
import pytest
from eventing_kit import eventually

from eventing.workers import BackgroundLoop, Backoff, Workers, until_done

QUICK = Backoff(0.01, 0.02)


class Scripted(BackgroundLoop):
    """Raises the scripted exceptions one round each, then works."""

    def __init__(self, failures: list[BaseException], *, fail_in_idle: bool = False) -> None:
        super().__init__("scripted", interval_s=0.01, backoff=QUICK)
        self.failures, self.fail_in_idle, self.rounds = list(failures), fail_in_idle, 0

    async def step(self) -> bool:
        if self.failures and not self.fail_in_idle:
            raise self.failures.pop(0)
        self.rounds += 1
        return False

    async def idle(self) -> None:
        if self.failures and self.fail_in_idle:
            raise self.failures.pop(0)
        await asyncio.sleep(self.interval_s)


@pytest.fixture
async def loops():
    started: list[BackgroundLoop] = []
    yield started
    for loop in started:
        await loop.stop()


@pytest.mark.parametrize("in_idle", [False, True], ids=["in the round", "while idle"])
async def test_a_loop_survives_an_exception_of_any_class_and_goes_on(loops, in_idle):
    # InternalClientError is what asyncpg raises for a connection terminated during LISTEN.
    failures = [asyncpg.InternalClientError("cannot switch to state"), KeyError("x"), OSError()]
    loop = Scripted(failures, fail_in_idle=in_idle)
    await loop.start()
    loops.append(loop)

    await eventually(lambda: _async(loop.rounds >= 3 and not loop.failures))

    health = loop.health()
    assert health.alive and health.working and health.failures == 0
    assert health.last_error == "OSError"


async def test_a_loop_that_keeps_failing_is_alive_but_not_working(loops):
    loop = Scripted([RuntimeError() for _ in range(10_000)])
    await loop.start()
    loops.append(loop)

    await eventually(lambda: _async(loop.health().failures >= 3))

    assert loop.health().alive and not loop.health().working
    assert loop.rounds == 0


async def test_a_loop_whose_task_died_fails_liveness(loops):
    loop = Scripted([])
    workers = Workers(loop)
    await workers.start()
    loops.append(loop)
    assert workers.alive()

    loop._lanes[0].task.cancel()  # what only a bug could do: the task is gone
    await eventually(lambda: _async(not workers.alive()))

    assert workers.health()["scripted"].alive is False


async def _async(value):
    return value


async def test_until_done_backs_off_between_failures_and_returns_the_first_success():
    calls = []

    async def flaky() -> str:
        calls.append(asyncio.get_running_loop().time())
        if len(calls) < 3:
            raise ConnectionError("database blinked")
        return "recorded"

    result = await until_done(flaky, backoff=Backoff(0.02, 0.05), event="test.retry")

    assert result == "recorded" and len(calls) == 3
    assert calls[1] - calls[0] >= 0.01 and calls[2] - calls[1] >= 0.02  # half the ceiling at least


async def test_until_done_gives_up_after_its_attempts_with_the_last_error():
    attempts = []

    async def broken() -> None:
        attempts.append(1)
        raise LookupError(f"failure {len(attempts)}")

    with pytest.raises(LookupError, match="failure 3"):
        await until_done(broken, backoff=Backoff(0.001, 0.002), event="test.retry", attempts=3)
    assert len(attempts) == 3
