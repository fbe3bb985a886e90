"""The gateway's edge against the real services: bounded bodies, intake's refusal passed back."""

MIB = 1024 * 1024


class CountingBody:
    def __init__(self, chunks: int, chunk: bytes) -> None:
        self.left, self.chunk, self.pulled = chunks, chunk, 0

    async def __aiter__(self):
        while self.left:
            self.left -= 1
            self.pulled += 1
            yield self.chunk


async def test_a_huge_chunked_upload_is_refused_with_intakes_own_answer(gateway, actor):
    employer = actor()
    draft = (await gateway.post("/api/drafts", headers=employer.headers)).json()["id"]
    body = CountingBody(1024, b"\xff\xd8\xff" + b"x" * (MIB - 3))

    response = await gateway.post(
        f"/api/drafts/{draft}/pages",
        content=body,
        headers={**employer.headers, "content-type": "image/jpeg"},
    )

    # The server discards the rest unread (the connection stays usable); nothing buffers it.
    assert response.status_code == 413
    assert response.json()["code"] in ("document.too_large", "request.too_large")


async def test_a_json_body_of_hundreds_of_megabytes_never_reaches_intake(gateway, actor):
    body = CountingBody(400, b" " * MIB)

    response = await gateway.post(
        "/api/requests",
        content=body,
        headers={
            **actor().headers,
            "content-type": "application/json",
            "idempotency-key": "k" * 12,
        },
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"  # the gateway's: intake never saw it
