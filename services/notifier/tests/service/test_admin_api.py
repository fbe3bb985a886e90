"""GET /notifications/requests/{id}: delivery status for the owning employer, 404 for others."""

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from eventing.auth import VERIFIER, TokenVerifier
from eventing.parts import SESSIONS, provide
from eventing.problems import install_problem_handlers
from notifier import api

OWNER, OTHER = "0123456789", "0987654321"
OTHER_REQUEST = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
async def client(stack, signing_key):
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(api.router)
    public = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verifier = TokenVerifier(public.decode(), issuer="idpro-test", audience="idpro")
    provide(app, {SESSIONS: stack.database.sessions, VERIFIER: verifier})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://notifier"
    ) as client:
        yield client


@pytest.fixture
def token_for(signing_key):
    def token_for(employer_id: str | None, roles=("admin",)) -> dict[str, str]:
        now = datetime.now(UTC)
        claims = {
            "sub": "user-1",
            "iss": "idpro-test",
            "aud": "idpro",
            "iat": now,
            "exp": now + timedelta(minutes=5),
            "roles": list(roles),
        }
        if employer_id is not None:
            claims["employer_id"] = employer_id
        return {"authorization": f"Bearer {jwt.encode(claims, signing_key, algorithm='RS256')}"}

    return token_for


async def test_the_owning_employer_sees_every_delivery_with_its_attempts_but_no_address(
    stack, client, token_for
):
    request = await stack.submit(employer_id=OWNER)
    stack.sink.fail_next(1, code=421)
    await stack.deliver_all()

    response = await client.get(
        f"/notifications/requests/{request.request_id}", headers=token_for(OWNER)
    )

    assert response.status_code == 200
    (delivery,) = response.json()
    assert (delivery["kind"], delivery["status"], delivery["attempts"]) == (
        "request_received",
        "sent",
        2,
    )
    assert [(a["outcome"], a["smtp_code"]) for a in delivery["history"]] == [
        ("transient", 421),
        ("sent", None),
    ]
    assert str(request.notification_email) not in response.text


async def test_another_employer_gets_the_same_404_as_for_an_unknown_request(
    stack, client, token_for
):
    request = await stack.submit(employer_id=OWNER)
    await stack.deliver_all()

    foreign = await client.get(
        f"/notifications/requests/{request.request_id}", headers=token_for(OTHER)
    )
    unknown = await client.get(f"/notifications/requests/{OTHER_REQUEST}", headers=token_for(OTHER))

    assert foreign.status_code == unknown.status_code == 404
    assert _without_instance(foreign.json()) == _without_instance(unknown.json())


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"authorization": "Bearer not-a-jwt"}, 401),
    ],
)
async def test_a_request_without_a_valid_token_is_refused(stack, client, headers, status):
    request = await stack.submit(employer_id=OWNER)

    response = await client.get(f"/notifications/requests/{request.request_id}", headers=headers)

    assert response.status_code == status


async def test_an_agent_sees_no_employers_deliveries(stack, client, token_for):
    request = await stack.submit(employer_id=OWNER)

    response = await client.get(
        f"/notifications/requests/{request.request_id}", headers=token_for(None, roles=("agent",))
    )

    assert response.status_code == 403


def _without_instance(problem: dict) -> dict:
    return {name: value for name, value in problem.items() if name != "instance"}
