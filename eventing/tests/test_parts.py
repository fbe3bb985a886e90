"""A route gets what the composition root provided, by its dependency; a missing part says which."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from eventing.parts import Part, provide

GREETING: Part[str] = Part("greeting")
Greeting = Annotated[str, Depends(GREETING)]


def app_with_a_greeting_route() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello(greeting: Greeting) -> dict:
        return {"said": greeting}

    return app


async def get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_a_route_receives_the_part_its_app_was_given_and_another_app_its_own():
    first, second = app_with_a_greeting_route(), app_with_a_greeting_route()
    provide(first, {GREETING: "bonjour"})
    provide(second, {GREETING: "goeiedag"})

    assert (await get(first, "/hello")).json() == {"said": "bonjour"}
    assert (await get(second, "/hello")).json() == {"said": "goeiedag"}
    assert GREETING.of(first) == "bonjour"


def test_a_part_nobody_provided_is_a_wiring_error_that_names_it():
    with pytest.raises(LookupError, match="no greeting was provided"):
        GREETING.of(FastAPI())
