"""problem+json errors name the field and the rule, never the submitted value."""

from typing import Annotated
from uuid import UUID

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devstack._runtime import free_port, serving
from eventing.problems import Problem, install_problem_handlers

PERSON = "Zbigniew"


class Person(BaseModel):
    first_name: str = Field(max_length=5)
    last_name: str
    birth_year: int

    @field_validator("last_name")
    @classmethod
    def _no_digits(cls, value: str) -> str:
        if any(ch.isdigit() for ch in value):
            raise ValueError(f"{value} contains digits")  # a careless message echoing the input
        return value


class Draft(BaseModel):
    person: Person


class Reference(BaseModel):
    document_id: UUID
    holder: str

    @field_validator("holder")
    @classmethod
    def _known(cls, value: str) -> str:
        assert value.isupper(), f"{value} is not an upper-case code"  # echoes the input too
        return value


class StrictReference(Reference):
    model_config = ConfigDict(extra="forbid")


class Counts(BaseModel):
    counts: dict[Annotated[str, Field(max_length=10)], int]


def app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/drafts")
    async def create_draft(draft: Draft) -> dict:
        return {"ok": True}

    @app.post("/references")
    async def add_reference(reference: Reference) -> dict:
        return {"ok": True}

    @app.post("/strict-references")
    async def add_strict_reference(reference: StrictReference) -> dict:
        return {"ok": True}

    @app.post("/counts")
    async def add_counts(counts: Counts) -> dict:
        return {"ok": True}

    @app.get("/drafts/{draft_id}")
    async def read_draft(draft_id: int) -> dict:
        raise Problem(404, "draft.not_found", "No such draft.")

    @app.get("/stored")
    async def stored() -> dict:
        # A database that is not there (nothing listens on the port): refused, like a restart.
        engine = create_async_engine(f"postgresql+asyncpg://u:p@127.0.0.1:{free_port()}/idpro")
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()
        return {"ok": True}

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError(f"lookup failed for {PERSON} Brzęczyszczykiewicz")

    return app


async def request(method: str, path: str, **kwargs) -> httpx.Response:
    # Starlette re-raises an unhandled error after the 500 is sent; the client must not.
    transport = httpx.ASGITransport(app=app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, **kwargs)


async def test_a_validation_error_names_the_field_path_but_not_the_submitted_value():
    body = {"person": {"first_name": PERSON, "last_name": "K0walski", "birth_year": "nineteen"}}

    response = await request("POST", "/drafts", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation.failed"
    fields = {error["field"]: error["code"] for error in problem["errors"]}
    assert fields == {
        "body.person.first_name": "validation.string_too_long",
        "body.person.last_name": "validation.value_error",
        "body.person.birth_year": "validation.int_parsing",
    }
    assert PERSON not in response.text and "K0walski" not in response.text
    assert "nineteen" not in response.text


async def test_a_validation_error_keeps_the_limit_the_client_must_respect():
    body = {"person": {"first_name": PERSON, "last_name": "Kowalski", "birth_year": 1990}}

    response = await request("POST", "/drafts", json=body)

    (error,) = response.json()["errors"]
    assert error["ctx"] == {"max_length": 5}


async def test_assertion_and_parser_messages_that_quote_the_input_are_replaced():
    body = {"document_id": "Zbigniew-0000", "holder": "Zbigniew"}

    response = await request("POST", "/references", json=body)

    assert {e["code"] for e in response.json()["errors"]} == {
        "validation.uuid_parsing",
        "validation.assertion_error",
    }
    assert "Zbigniew" not in response.text and "`Z`" not in response.text


async def test_a_malformed_json_body_is_a_problem_without_the_body():
    response = await request(
        "POST",
        "/drafts",
        content=b'{"person": {"first_name": "Zbigniew"',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert PERSON not in response.text


async def test_a_problem_raised_by_a_route_keeps_its_status_and_code():
    response = await request("GET", "/drafts/12")

    assert response.status_code == 404
    assert response.json() == {
        "type": "urn:idpro:problem:draft.not_found",
        "title": "No such draft.",
        "status": 404,
        "code": "draft.not_found",
        "instance": "/drafts/12",
    }


async def test_an_unknown_route_is_a_404_problem():
    response = await request("GET", "/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unexpected_exception_is_a_500_problem_without_details():
    response = await request("GET", "/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal_error"
    assert PERSON not in response.text and "RuntimeError" not in response.text


async def test_after_an_unexpected_exception_the_same_pooled_client_is_answered_again():
    # Over real TCP: Starlette re-raises after the 500, uvicorn then drops the socket, and a
    # client that pooled it fails its next call unless the 500 said `Connection: close`.
    async with serving(app()) as url, httpx.AsyncClient(base_url=url) as client:
        failed = await client.get("/boom")
        following = [(await client.get("/drafts/12")).status_code for _ in range(3)]

    assert failed.status_code == 500
    assert failed.headers["connection"] == "close"
    assert following == [404, 404, 404]


async def test_an_unknown_key_of_the_body_is_refused_without_its_name():
    body = {"document_id": str(UUID(int=1)), "holder": "ABC", "Kowalska Anna 85.07.30-033.61": 1}

    response = await request("POST", "/strict-references", json=body)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body",
            "code": "validation.extra_forbidden",
            "message": "Extra inputs are not permitted",
        }
    ]
    assert "Kowalska" not in response.text and "85.07" not in response.text


async def test_a_mapping_key_that_breaks_its_rule_is_refused_without_the_key():
    response = await request("POST", "/counts", json={"counts": {"Zbigniew": 1, "x" * 40: 2}})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.counts"]
    assert "x" * 40 not in response.text


async def test_a_database_that_is_away_answers_503_with_retry_after_not_500():
    response = await request("GET", "/stored")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["code"] == "service.unavailable"
