"""Helpers the cross-service tests share: signed-in actors, sample requests, waiting."""

import random
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from devstack.system import System
from devstack.waiting import eventually  # noqa: F401 - the tests import it from here
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


_SYLLABLES = ("ko", "wa", "ni", "la", "ze", "mo", "ra", "da", "pi", "su", "te", "bo", "ny", "ka")
_GIVEN = ("Anna", "Marta", "Zofia", "Olena", "Irina", "Ewa", "Jana", "Lucia", "Petra", "Agata")


def unique_person() -> dict[str, str]:
    """Names, birth date and home no other test shares: matching weighs all of them, so two tests
    submitting one person would make each other's outcome depend on the order they ran in."""
    rng = random.Random(uuid.uuid4().int)
    surname = "".join(rng.choice(_SYLLABLES) for _ in range(4)).title() + "ska"
    return {
        "surnames": surname,
        "given_names": rng.choice(_GIVEN),
        "birth_date": f"{rng.randint(1960, 2003)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "number": str(rng.randint(1, 400)),
    }


def sample_request(
    *,
    surnames: str | None = None,
    given_names: str | None = None,
    sex: str = "female",
    birth_date: str | None = None,
    email: str = "hr@example.be",
    language: str = "fr",
) -> dict[str, Any]:
    """A valid request about a person of its own (any field given is used as is)."""
    drawn = unique_person()
    return {
        "person": {
            "surnames": surnames or drawn["surnames"],
            "given_names": given_names or drawn["given_names"],
            "sex": sex,
            "birth_date": birth_date or drawn["birth_date"],
            "birth_place": "Kraków",
            "birth_country": "PL",
            "nationality": "PL",
        },
        "residence": {
            "street": "ul. Długa",
            "number": drawn["number"],
            "postal_code": "31-147",
            "city": "Kraków",
            "country": "PL",
        },
        "notification_email": email,
        "language": language,
    }
