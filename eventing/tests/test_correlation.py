"""A caller's correlation id is kept when it is safe, replaced otherwise, and reaches the logs."""

from uuid import UUID, uuid4

import httpx
import pytest
import structlog
from fastapi import FastAPI

from eventing import correlation
from eventing.correlation import CorrelationMiddleware


def app_that_tells_its_ids() -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)

    @app.get("/ids")
    async def ids() -> dict:
        bound = structlog.contextvars.get_contextvars()
        return {
            "logged": bound["correlation_id"],
            "event": str(correlation.current()),
            "forwarded": correlation.forwarded(),
        }

    return app


async def ask(headers: dict) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_that_tells_its_ids())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/ids", headers=headers)


async def test_a_callers_uuid_correlation_id_is_logged_echoed_and_carried_by_events():
    caller = str(uuid4())

    response = await ask({"x-correlation-id": caller})

    assert response.headers["x-correlation-id"] == caller
    assert response.json()["logged"] == caller
    assert response.json()["event"] == caller
    assert response.json()["forwarded"]["x-correlation-id"] == caller


async def test_a_callers_token_that_is_no_uuid_maps_to_the_same_uuid_every_time():
    first = await ask({"x-correlation-id": "payroll-2026.12:batch_7"})
    again = await ask({"x-correlation-id": "payroll-2026.12:batch_7"})

    assert first.json()["logged"] == "payroll-2026.12:batch_7"
    assert first.json()["event"] == again.json()["event"]
    other = await ask({"x-correlation-id": "payroll-2026.12:batch_8"})
    assert UUID(first.json()["event"]) != UUID(other.json()["event"])


@pytest.mark.parametrize(
    "unsafe",
    ["a" * 129, "two words", b"x\xe9", "<script>", "-leading-dash", "", "line\tbreak"],
)
async def test_an_unsafe_correlation_id_is_replaced_by_a_new_one_and_never_echoed(unsafe):
    response = await ask({"x-correlation-id": unsafe})

    echoed = response.headers["x-correlation-id"]
    assert echoed != (unsafe.decode("latin-1") if isinstance(unsafe, bytes) else unsafe)
    assert UUID(echoed)  # generated
    assert response.json()["logged"] == echoed
    assert echoed == response.headers["x-request-id"]


async def test_without_a_correlation_id_the_request_id_is_the_correlation_id():
    response = await ask({"x-request-id": "req-42"})

    assert response.headers["x-request-id"] == "req-42"
    assert response.headers["x-correlation-id"] == "req-42"


async def test_outside_a_request_there_is_no_correlation_id():
    assert correlation.current() is None
    assert correlation.forwarded() == {}
