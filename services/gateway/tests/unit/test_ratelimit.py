import pytest

from eventing.auth import Principal
from eventing.problems import Problem
from gateway.ratelimit import RateLimiter


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def limiter(clock, *, user=(60, 2), employer=(600, 100)):
    return RateLimiter(
        per_minute={"user": user[0], "employer": employer[0]},
        burst={"user": user[1], "employer": employer[1]},
        clock=clock,
    )


def who(subject="u", employer="0123456789"):
    return Principal(subject, None, employer, frozenset({"requester"}))


def test_a_burst_is_allowed_then_refused_with_the_wait():
    clock = Clock()
    limits = limiter(clock)
    limits.take(who())
    limits.take(who())

    with pytest.raises(Problem) as refused:
        limits.take(who())

    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "1"


def test_tokens_come_back_with_time():
    clock = Clock()
    limits = limiter(clock)
    limits.take(who())
    limits.take(who())
    clock.now = 1.0

    limits.take(who())


def test_the_employer_limit_holds_across_its_users():
    clock = Clock()
    limits = limiter(clock, user=(60, 10), employer=(60, 2))
    limits.take(who("a"))
    limits.take(who("b"))

    with pytest.raises(Problem):
        limits.take(who("c"))


def test_an_agent_without_employer_has_only_a_user_bucket():
    clock = Clock()
    limits = limiter(clock)
    limits.take(Principal("agent-1", None, None, frozenset({"agent"})))

    assert set(limits.buckets) == {"user:agent-1"}
