"""A route's Transaction: committed before its answer goes out, rolled back when it refuses."""

from uuid import uuid4

import httpx
from fastapi import FastAPI
from sqlalchemy import insert

from eventing.http import Transaction
from eventing.parts import SESSIONS, provide
from eventing.problems import Problem, install_problem_handlers


def app_recording_effects(db) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    provide(app, {SESSIONS: db.sessions})

    @app.post("/effects/{event_id}")
    async def record(event_id: str, tx: Transaction, refuse: bool = False) -> dict:
        await tx.execute(insert(db.effects).values(event_id=event_id, handler="route"))
        if refuse:
            raise Problem(409, "test.refused", "Refused after writing.")
        return {"recorded": event_id}

    return app


async def post(app, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path)


async def test_what_a_route_wrote_is_committed_before_its_answer_starts(db):
    kept, seen_at_answer = uuid4(), []
    app = app_recording_effects(db)

    async def watching(scope, receive, send):
        """Counts the committed row, from another connection, when the answer starts."""

        async def sending(message):
            if message["type"] == "http.response.start":
                query = "SELECT count(*) FROM effects WHERE event_id = :id"
                seen_at_answer.append(await db.scalar(query, id=kept))
            await send(message)

        await app(scope, receive, sending)

    answer = await post(watching, f"/effects/{kept}")

    assert answer.status_code == 200
    assert seen_at_answer == [1]


async def test_a_route_that_refuses_after_writing_leaves_nothing_behind(db):
    dropped = uuid4()

    answer = await post(app_recording_effects(db), f"/effects/{dropped}?refuse=true")

    assert (answer.status_code, answer.json()["code"]) == (409, "test.refused")
    assert await db.scalar("SELECT count(*) FROM effects WHERE event_id = :id", id=dropped) == 0
