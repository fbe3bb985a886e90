"""The client side: a bounded load of distinct requests, each retried on its own Idempotency-Key
until the system answers, and the ledger of what the client was told."""

from __future__ import annotations

import asyncio
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

from gateway.devidp import DevIdentityProvider

RETRIED = {429, 500, 502, 503, 504}


@dataclass
class Submission:
    """One request the client means to make, and what came of it."""

    index: int
    key: str
    body: dict
    token: str
    person: tuple[str, str, str]  # surnames, given names, birth date: who this request is about
    ids: set[str] = field(default_factory=set)  # every request id an answer named (1 expected)
    attempts: int = 0
    answers: dict[int, int] = field(default_factory=dict)  # status code → count
    refused: int | None = None  # a 4xx the client will not retry

    @property
    def email(self) -> str:
        return self.body["notification_email"]

    @property
    def accepted(self) -> bool:
        return bool(self.ids)


@dataclass
class Ledger:
    submissions: list[Submission] = field(default_factory=list)

    def accepted(self) -> dict[str, Submission]:
        """Request id → the submission it answered (a key answered with two ids shows twice)."""
        return {rid: s for s in self.submissions for rid in s.ids}


class Population:
    """Distinct new persons and a few signed-in users of a few employers."""

    def __init__(self, key_pem: str, *, run: str, employers: int = 4, users: int = 3) -> None:
        idp = DevIdentityProvider(key_pem, issuer="idpro-dev-idp", audience="idpro", ttl_s=86400)
        self.run = run
        self.tokens = [
            idp.mint(
                subject=f"chaos-{e}-{u}",
                name=f"Chaos {e}.{u}",
                employer_id=f"09{e:08d}",
                roles=["requester"],
            )
            for e in range(1, employers + 1)
            for u in range(users)
        ]
        self.count = 0

    def submission(self, *, person_seed: int | None = None, token: str | None = None) -> Submission:
        index = self.count
        self.count += 1
        body = person_body(f"{self.run}-{index if person_seed is None else person_seed}")
        body["notification_email"] = f"chaos-{self.run}-{index}@example.be"
        person = body["person"]
        return Submission(
            index=index,
            key=str(uuid.uuid4()),
            body=body,
            token=token or self.tokens[index % len(self.tokens)],
            person=(person["surnames"], person["given_names"], person["birth_date"]),
        )


def person_body(seed: str) -> dict:
    """A new person nobody resembles: random letters for names, a spread birth date."""
    rng = random.Random(seed)
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365))
    return {
        "person": {
            "surnames": "".join(rng.choices(string.ascii_lowercase, k=10)).title(),
            "given_names": "".join(rng.choices(string.ascii_lowercase, k=8)).title(),
            "sex": rng.choice(("male", "female")),
            "birth_date": born.isoformat(),
            "birth_place": "Plovdiv",
            "birth_country": "BG",
            "nationality": "BG",
        },
        "residence": {
            "street": "ul. Vasil Levski",
            "number": str(rng.randrange(1, 300)),
            "postal_code": "4000",
            "city": "Plovdiv",
            "country": "BG",
        },
        "language": rng.choice(("fr", "nl", "de", "en")),
    }


async def submit(client: httpx.AsyncClient, s: Submission, *, give_up_after: float) -> None:
    """POST until an answer that is not worth retrying, backing off; the same key every time."""
    loop = asyncio.get_running_loop()
    deadline, pause = loop.time() + give_up_after, 0.5
    headers = {"Authorization": f"Bearer {s.token}", "Idempotency-Key": s.key}
    while loop.time() < deadline:
        s.attempts += 1
        try:
            response = await client.post("/api/requests", json=s.body, headers=headers)
        except httpx.HTTPError:
            code = 0  # no answer: connection refused or reset, timeout
        else:
            code = response.status_code
        s.answers[code] = s.answers.get(code, 0) + 1
        if code in (200, 201):
            s.ids.add(response.json()["id"])
            return
        if code and code not in RETRIED:
            s.refused = code
            return
        await asyncio.sleep(pause * random.uniform(0.5, 1.0))
        pause = min(pause * 2, 5.0)


async def drive(
    base_url: str, submissions: list[Submission], *, rate: float, give_up_after: float = 600.0
) -> None:
    """Send the submissions at `rate` per second (each retried on its own) and wait for all."""
    async with httpx.AsyncClient(
        base_url=base_url, timeout=20.0, limits=httpx.Limits(max_connections=200)
    ) as client:
        loop = asyncio.get_running_loop()
        start, tasks = loop.time(), []
        for n, s in enumerate(submissions):
            await asyncio.sleep(max(0.0, start + n / rate - loop.time()))
            tasks.append(asyncio.create_task(submit(client, s, give_up_after=give_up_after)))
        await asyncio.gather(*tasks)


async def at_once(base_url: str, submission: Submission, *, copies: int) -> None:
    """The same key and body posted `copies` times at the same moment (each retried)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=20.0) as client:
        await asyncio.gather(
            *(submit(client, submission, give_up_after=300.0) for _ in range(copies))
        )
