"""The API door bounds every body per route and passes an upstream's early refusal straight back;
an upstream's failure never leaves a dead connection for the next caller. The upstream here is a
real HTTP server (uvicorn on a loopback port): pooling and early answers only show over TCP."""

import httpx
import pytest

from devstack._runtime import serving
from gateway.devidp import DevIdentityProvider

MIB = 1024 * 1024


class CountingBody:
    def __init__(self, chunks: int, chunk: bytes) -> None:
        self.left, self.chunk, self.pulled = chunks, chunk, 0

    async def __aiter__(self):
        while self.left:
            self.left -= 1
            self.pulled += 1
            yield self.chunk


async def early_refusal(scope, receive, send):
    """Like intake: a declared body over 1 MiB gets 413 before a byte of it is read; a path
    ending in /crash fails the way an unhandled exception does (500, then the socket closes)."""
    if scope["type"] != "http":
        return
    headers = dict(scope["headers"])
    if scope["path"].endswith("/crash"):
        await send({"type": "http.response.start", "status": 500, "headers": []})
        await send({"type": "http.response.body", "body": b'{"code":"internal_error"}'})
        raise RuntimeError("boom")
    if scope["path"].endswith("/dies-mid-answer"):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"items":[{"id"', "more_body": True})
        raise RuntimeError("the process died half-way through its answer")
    if int(headers.get(b"content-length", b"0")) > MIB:
        await refuse(send)
        return
    more, size = True, 0
    while more:
        message = await receive()
        more, size = message.get("more_body", False), size + len(message.get("body", b""))
        if size > MIB:
            await refuse(send)  # as intake does on a chunked body: the rest is never read
            return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b'{"items":[]}'})


async def refuse(send) -> None:
    start = {"type": "http.response.start", "status": 413}
    await send({**start, "headers": [(b"content-type", b"application/problem+json")]})
    await send({"type": "http.response.body", "body": b'{"code":"document.too_large"}'})


@pytest.fixture
async def upstream_url():
    async with serving(early_refusal) as url:
        yield url


@pytest.fixture
async def api(make_app, keys, upstream_url):
    app = make_app(intake_url=upstream_url, history_url=upstream_url)
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        client.headers["authorization"] = f"Bearer {token}"
        yield client


async def test_a_json_body_over_the_bound_is_refused_without_reading_it(api):
    body = CountingBody(400, b"x" * MIB)

    response = await api.post(
        "/api/requests",
        content=body,
        headers={"content-type": "application/json", "content-length": str(400 * MIB)},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    assert body.pulled == 0


async def test_a_chunked_json_body_is_cut_at_the_bound(api):
    body = CountingBody(1024, b"x" * MIB)

    response = await api.post(
        "/api/requests", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert body.pulled <= 2


async def test_a_chunked_upload_is_cut_at_intakes_limit_plus_framing(api):
    body = CountingBody(1024, b"x" * MIB)

    response = await api.post(
        "/api/drafts/7f1d6bd4-2f6c-4bb0-9b6b-7c2d2f0e9a11/pages",
        content=body,
        headers={"content-type": "application/octet-stream"},
    )

    assert response.status_code == 413
    assert body.pulled <= 12


async def test_an_upstreams_early_413_is_passed_straight_back(api):
    body = CountingBody(5, b"x" * MIB)

    response = await api.post(
        "/api/drafts/7f1d6bd4-2f6c-4bb0-9b6b-7c2d2f0e9a11/pages",
        content=body,
        headers={"content-type": "application/octet-stream", "content-length": str(5 * MIB)},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "document.too_large"


async def test_an_upstreams_413_in_the_middle_of_a_chunked_upload_is_passed_back(api):
    body = CountingBody(8, b"x" * MIB)

    response = await api.post(
        "/api/drafts/7f1d6bd4-2f6c-4bb0-9b6b-7c2d2f0e9a11/pages",
        content=body,
        headers={"content-type": "application/octet-stream"},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "document.too_large"


async def test_after_an_upstream_500_the_next_call_is_answered(api):
    crashed = await api.get("/api/history/crash")
    following = [await api.get("/api/history/requests") for _ in range(3)]

    assert crashed.status_code == 500
    assert [r.status_code for r in following] == [200, 200, 200]


async def test_an_upstream_that_dies_mid_answer_gives_a_502_problem_not_a_truncated_body(api):
    broken = await api.get("/api/history/dies-mid-answer")
    following = await api.get("/api/history/requests")

    assert broken.status_code == 502
    assert broken.headers["content-type"] == "application/problem+json"
    assert broken.json()["code"] == "upstream_failed"
    assert following.status_code == 200
