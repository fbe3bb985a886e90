"""Helpers the cross-service tests share: signed-in actors, sample requests, waiting."""

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from devstack.system import System
from gateway.devidp import DevIdentityProvider

T = TypeVar("T")


def new_employer_id() -> str:
    return f"0{random.randint(100_000_000, 999_999_999)}"


@dataclass(frozen=True)
class Actor:
    employer_id: str | None
    user: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @classmethod
    def sign_in(
        cls,
        system: System,
        *,
        employer: str | None = None,
        user: str | None = None,
        roles: tuple[str, ...] = ("requester",),
    ) -> "Actor":
        private, _ = system.keys
        idp = DevIdentityProvider(
            private.read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=3600
        )
        employer = employer or (None if roles == ("agent",) else new_employer_id())
        user = user or f"user-{uuid.uuid4().hex[:8]}"
        return cls(
            employer,
            user,
            idp.mint(subject=user, name=user.title(), employer_id=employer, roles=list(roles)),
        )


def sample_request(
    *,
    surnames: str = "Kowalska",
    given_names: str = "Anna",
    sex: str = "female",
    birth_date: str = "1990-04-02",
    email: str = "hr@example.be",
    language: str = "fr",
) -> dict[str, Any]:
    return {
        "person": {
            "surnames": surnames,
            "given_names": given_names,
            "sex": sex,
            "birth_date": birth_date,
            "birth_place": "Kraków",
            "birth_country": "PL",
            "nationality": "PL",
        },
        "residence": {
            "street": "ul. Długa",
            "number": "5",
            "postal_code": "31-147",
            "city": "Kraków",
            "country": "PL",
        },
        "notification_email": email,
        "language": language,
    }


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: float = 30.0,  # noqa: ASYNC109 - a polling deadline, not a cancel scope
    interval: float = 0.2,
) -> T:
    """Poll until the probe returns something truthy; fail with the last value after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    last = None
    while asyncio.get_running_loop().time() < deadline:
        last = await probe()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
