"""Portal POSTs: the session and the origin are checked before a byte of the body is read, and
the body itself is bounded (fields, parts, files, bytes)."""

import httpx

MIB = 1024 * 1024


class CountingBody:
    """A request body that records how much of it the server pulled."""

    def __init__(self, chunks: int, chunk: bytes, *, head: bytes = b"") -> None:
        self.left, self.chunk, self.pulled, self.head = chunks, chunk, 0, head

    async def __aiter__(self):
        if self.head:
            yield self.head
        while self.left:
            self.left -= 1
            self.pulled += 1
            yield self.chunk


def form_headers(**extra: str) -> dict[str, str]:
    return {"content-type": "application/x-www-form-urlencoded", **extra}


async def test_a_signed_out_post_is_refused_before_its_body_is_read(client):
    body = CountingBody(64, b"f" * MIB)

    response = await client.post("/logout", content=body, headers=form_headers())

    assert response.status_code == 403
    assert body.pulled <= 1


async def test_a_cross_site_post_is_refused_before_its_body_is_read(client, helpers):
    await helpers.sign_in(client)
    body = CountingBody(64, b"f" * MIB)

    response = await client.post(
        "/logout", content=body, headers=form_headers(origin="https://evil.example")
    )

    assert response.status_code == 403
    assert body.pulled <= 1
    assert (await client.get("/")).status_code == 303  # still signed in


async def test_a_fetch_from_another_site_is_refused_whatever_its_origin_header(client, helpers):
    await helpers.sign_in(client)
    csrf = await helpers.csrf_of(client, "/dashboard")

    response = await client.post(
        "/logout", data={"csrf_token": csrf}, headers={"sec-fetch-site": "cross-site"}
    )

    assert response.status_code == 403


async def test_a_same_origin_form_still_signs_out(client, helpers):
    await helpers.sign_in(client)
    csrf = await helpers.csrf_of(client, "/dashboard")

    response = await client.post(
        "/logout",
        data={"csrf_token": csrf},
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )

    assert response.status_code == 303
    assert (await client.get("/dashboard")).status_code == 303  # to the sign-in


async def test_a_form_with_too_many_fields_is_refused(client, helpers):
    await helpers.sign_in(client)
    csrf = await helpers.csrf_of(client, "/dashboard")
    fields = {"csrf_token": csrf} | {f"f{i}": "x" for i in range(300)}

    response = await client.post("/logout", data=fields)

    assert response.status_code in (400, 413)
    assert (await client.get("/")).status_code == 303  # not signed out


async def test_a_form_larger_than_a_form_can_be_is_refused_unread(client, helpers):
    await helpers.sign_in(client)
    body = CountingBody(300, b"&f=" + b"x" * MIB)

    response = await client.post(
        "/language",
        content=body,
        headers=form_headers(**{"content-length": str(300 * (MIB + 3))}),
    )

    assert response.status_code == 413
    assert body.pulled <= 1


async def test_a_chunked_form_is_cut_at_the_bound(client, helpers):
    await helpers.sign_in(client)
    body = CountingBody(300, b"f=" + b"x" * MIB)

    response = await client.post("/language", content=body, headers=form_headers())

    assert response.status_code == 413
    assert body.pulled <= 2


async def test_a_page_upload_with_two_files_is_refused(client, helpers, upstream):
    calls = []
    upstream["/drafts"] = lambda request: calls.append(request) or httpx.Response(201, json={})
    await helpers.sign_in(client)
    csrf = await helpers.csrf_of(client, "/dashboard")

    response = await client.post(
        "/drafts/7f1d6bd4-2f6c-4bb0-9b6b-7c2d2f0e9a11/document/pages",
        data={"csrf_token": csrf},
        files=[("file", ("a.png", b"\x89PNG" * 10)), ("file", ("b.png", b"\x89PNG" * 10))],
    )

    assert response.status_code in (400, 413)
    assert not calls


async def test_a_page_upload_above_intakes_limit_is_refused_unread(client, helpers):
    await helpers.sign_in(client)
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
    body = CountingBody(40, b"x" * MIB, head=head)

    response = await client.post(
        "/drafts/7f1d6bd4-2f6c-4bb0-9b6b-7c2d2f0e9a11/document/pages",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=b"},
    )

    assert response.status_code == 413
    assert body.pulled <= 12


async def test_a_bulk_file_over_the_bound_gets_a_page_in_the_users_language_unread(client, helpers):
    """Over what any upload may be (intake's 10 MB and the framing), the browser is told so in
    its words, with the bound, before a byte is read; an API client still gets a problem."""
    await helpers.sign_in(client)
    body = CountingBody(40, b"x" * MIB, head=b"--b\r\n")
    page_headers = {
        "content-type": "multipart/form-data; boundary=b",
        "content-length": str(40 * MIB),
        "accept": "text/html",
        "accept-language": "de",
    }

    page = await client.post("/bulk", content=body, headers=page_headers)
    api = await client.post(
        "/api/batches",
        content=b"x",
        headers={"content-type": "text/csv", "content-length": str(40 * MIB)},
    )

    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "Was Sie gesendet haben, ist größer als 10 MB." in page.text
    assert body.pulled <= 1
    assert api.status_code == 413 and api.json()["code"] == "request.too_large"
