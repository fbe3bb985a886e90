"""A gateway in process (ASGI), with the embedded development provider and fake upstream services;
its own database (sessions, rate limits) is a real one, cloned per test from a migrated template."""

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from devstack.databases import cloned_database
from eventing.parts import provide
from gateway import parts
from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.devidp import generate_keypair

BASE = "http://testserver"


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    return generate_keypair(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def upstream() -> dict[str, Callable[[httpx.Request], httpx.Response]]:
    """Answers of the fake services by path prefix; tests add their own."""
    return {}


@pytest.fixture
async def gateway_database(postgres_admin_url, service_template) -> str:
    template = service_template("gateway")
    async with cloned_database(postgres_admin_url, template, prefix="gateway") as url:
        yield url


@pytest.fixture
def make_app(keys, tmp_path, gateway_database):
    def make(**overrides):
        private, public = keys
        settings = GatewaySettings(
            database_url=gateway_database,
            jwt_public_key_file=public,
            dev_idp_private_key_file=private,
            mailbox_folder=tmp_path / "mail",
            **{"public_url": BASE, "dev_idp_enabled": True, **overrides},
        )
        return create_app(settings)

    return make


@pytest.fixture
async def client(make_app, upstream):
    app = make_app()
    async with app.router.lifespan_context(app):
        fake = httpx.AsyncClient(transport=_fake(upstream))
        provide(app, {parts.HTTP: fake, parts.WAITS: fake})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
            c.app = app
            yield c


def _fake(upstream) -> httpx.ASGITransport:
    """The fake services as an ASGI app (MockTransport would not let the proxy stream)."""

    async def app(scope, receive, send):
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        query = scope["query_string"].decode()
        path = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0].decode()
        request = httpx.Request(
            scope["method"],
            f"http://upstream{path}?{query}",
            headers=[(k.decode(), v.decode()) for k, v in scope["headers"]],
            content=body,
        )
        answer = next(
            (
                handler(request)
                for prefix, handler in upstream.items()
                if scope["path"].startswith(prefix)
            ),
            None,
        )
        answer = answer or httpx.Response(404, json={"code": "not_found"})
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [(k.encode(), v.encode()) for k, v in answer.headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": answer.content})

    return httpx.ASGITransport(app=app)


@pytest.fixture
def helpers():
    """sign_in, csrf_of and hidden_fields, for the tests."""
    return type(
        "Helpers",
        (),
        {
            "sign_in": staticmethod(sign_in),
            "csrf_of": staticmethod(csrf_of),
            "hidden_fields": staticmethod(hidden_fields),
        },
    )


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


async def sign_in(
    client: httpx.AsyncClient,
    *,
    role: str = "requester",
    user: str = "alice",
    employer: str = "0123456789",
) -> httpx.Response:
    """The whole code flow against the development provider; returns the callback's answer."""
    page = await client.get("/login", follow_redirects=True)
    form = hidden_fields(page.text) | {
        "role": role,
        "user": user,
        "employer_id": employer,
        "name": user.title(),
    }
    redirect = await client.post("/dev/oidc/authorize", data=form)
    assert redirect.status_code == 303, redirect.text
    return await client.get(redirect.headers["location"])


async def csrf_of(client: httpx.AsyncClient, path: str = "/") -> str:
    return hidden_fields((await client.get(path, follow_redirects=True)).text)["csrf_token"]


@pytest.fixture
def fake_services(upstream):
    return _fake(upstream)
