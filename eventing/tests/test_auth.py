"""RS256 tokens: only a well-signed, current idpro token yields a principal; employer from it."""

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from sqlalchemy import MetaData

from eventing import auth
from eventing.auth import Agent, CurrentPrincipal, Principal, TokenVerifier, employer_of
from eventing.parts import provide
from eventing.problems import Problem, install_problem_handlers

ISSUER, AUDIENCE = "idpro-test-idp", "idpro"


def pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


PRIVATE, PUBLIC = pem_pair()
OTHER_PRIVATE, _ = pem_pair()
VERIFIER = TokenVerifier(PUBLIC, issuer=ISSUER, audience=AUDIENCE)


def claims(**overrides) -> dict:
    now = int(time.time())
    base = {
        "sub": "user-1",
        "name": "Anna",
        "employer_id": "0123456789",
        "roles": ["requester"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
    }
    return {k: v for k, v in (base | overrides).items() if v is not None}


def token(key: str = PRIVATE, **overrides) -> str:
    return jwt.encode(claims(**overrides), key, algorithm="RS256")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(alg: str, secret: bytes | None) -> str:
    """A token PyJWT refuses to build: HS256 keyed with the public PEM, or alg none."""
    signing_input = (
        f"{b64(json.dumps({'alg': alg, 'typ': 'JWT'}).encode())}."
        f"{b64(json.dumps(claims(roles=['admin'])).encode())}"
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return f"{signing_input}.{b64(signature)}"


def refusal(raw: str) -> Problem:
    with pytest.raises(Problem) as raised:
        VERIFIER.verify(raw)
    return raised.value


def test_a_valid_rs256_token_gives_its_subject_employer_and_roles():
    principal = VERIFIER.verify(token(roles=["requester", "admin", "superuser"]))

    assert principal == Principal("user-1", "Anna", "0123456789", frozenset({"requester", "admin"}))


def test_an_agent_needs_no_employer():
    principal = VERIFIER.verify(token(roles=["agent"], employer_id=None))

    assert principal.has("agent") and principal.employer_id is None


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(token(exp=int(time.time()) - 60), id="expired"),
        pytest.param(token(iss="someone-else"), id="wrong-issuer"),
        pytest.param(token(aud="another-app"), id="wrong-audience"),
        pytest.param(token(key=OTHER_PRIVATE), id="signed-by-another-key"),
        pytest.param(token(exp=None), id="no-expiry"),
        pytest.param(forged("HS256", PUBLIC.encode()), id="hs256-keyed-with-the-public-key"),
        pytest.param(forged("none", None), id="alg-none"),
        pytest.param("not.a.token", id="garbage"),
    ],
)
def test_a_token_that_is_not_ours_and_current_is_refused_with_401(raw):
    assert refusal(raw).status == 401


@pytest.mark.parametrize(
    "overrides",
    [{"employer_id": None}, {"roles": []}, {"roles": ["superuser"]}],
    ids=["requester-without-employer", "no-role", "unknown-role-only"],
)
def test_a_token_granting_no_usable_role_is_refused_with_403(overrides):
    assert refusal(token(**overrides)).status == 403


def app_with_routes() -> FastAPI:
    app = FastAPI()
    provide(app, {auth.VERIFIER: VERIFIER})
    install_problem_handlers(app)

    @app.get("/requests")
    async def my_requests(principal: CurrentPrincipal, employer_id: str | None = None) -> dict:
        # `employer_id` in the query is what a tampering client would send: it must be ignored.
        return {"employer": employer_of(principal)}

    @app.get("/review-queue")
    async def review_queue(agent: Agent) -> dict:
        return {"agent": agent.subject}

    return app


async def call(path: str, raw: str | None) -> httpx.Response:
    headers = {"authorization": f"Bearer {raw}"} if raw else {}
    transport = httpx.ASGITransport(app=app_with_routes())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path, headers=headers)


async def test_the_employer_comes_from_the_token_never_from_the_request():
    response = await call("/requests?employer_id=9999999999", token())

    assert response.json() == {"employer": "0123456789"}


async def test_a_request_without_a_bearer_token_is_a_401_problem():
    response = await call("/requests", None)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "auth.missing_token"


async def test_an_agent_cannot_use_an_employer_route_and_a_requester_cannot_see_the_review_queue():
    agent = await call("/requests", token(roles=["agent"], employer_id=None))
    requester = await call("/review-queue", token())

    assert (agent.status_code, requester.status_code) == (403, 403)


@pytest.mark.parametrize("roles", ["requester", {"admin": True}, 7, [7]])
def test_a_signed_token_whose_roles_are_not_a_list_is_refused_not_a_crash(roles):
    refused = refusal(token(roles=roles))

    assert (refused.status, refused.errors) == (
        401,
        [{"field": "roles", "code": "auth.invalid_claim"}],
    )


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("employer_id", 403170701),
        ("employer_id", ["0403170701", "0123456789"]),
        ("employer_id", "0403170701\x00"),
        ("sub", "alice\x00"),
        ("name", {"first": "Anna"}),
        ("name", "Anna\nKowalska"),
    ],
)
def test_a_signed_claim_of_the_wrong_type_is_a_401_naming_it(claim, value):
    refused = refusal(token(**{claim: value}))

    assert (refused.status, refused.code) == (401, "auth.invalid_claim")
    assert refused.errors == [{"field": claim, "code": "auth.invalid_claim"}]


def test_a_principal_acts_only_for_an_employer_that_mandated_it():
    secretariat = Principal(
        "sec-1", "Sec", "0811111111", frozenset({"requester"}), frozenset({"0822222222"})
    )

    acting = secretariat.acting_for("0822222222")

    assert (acting.employer_id, acting.mandatary_id) == ("0822222222", "0811111111")
    assert secretariat.acting_for("0811111111") is secretariat
    with pytest.raises(Problem) as refused:
        secretariat.acting_for("0899999999")
    assert refused.value.code == "auth.no_mandate"


def test_a_development_token_is_refused_unless_the_service_runs_in_development():
    development = TokenVerifier(PUBLIC, issuer=ISSUER, audience=AUDIENCE, accept_development=True)
    minted = token(dev_only=True)

    refused = refusal(minted)

    assert (refused.status, refused.code) == (401, "auth.development_token")
    assert development.verify(minted).subject == "user-1"
    assert refusal(token(dev_only="no")).code == "auth.development_token"


async def test_docs_and_the_schema_are_served_in_development_only():
    from eventing.config import ServiceSettings
    from eventing.database import Database
    from eventing.http import service_app
    from eventing.messaging import Messaging
    from eventing.workers import Workers

    class Settings(ServiceSettings):
        service_name: str = "docs-test"

    def paths(development: bool) -> set[str]:
        settings = Settings(
            database_url="postgresql+asyncpg://u:p@127.0.0.1:1/db",
            jwt_public_key=PUBLIC,
            development=development,
        )
        database = Database(settings, metadata=MetaData())
        messaging = Messaging(settings, service="docs-test", database=database)
        app = service_app(
            settings, database=database, messaging=messaging, workers=Workers(), title="t"
        )
        return {getattr(route, "path", "") for route in app.routes}

    assert {"/docs", "/openapi.json"} <= paths(True)
    assert not {"/docs", "/openapi.json", "/redoc"} & paths(False)
