"""A secretariat picks the employer it acts for; every call to the services then names it."""

import httpx


async def sign_in_with_mandates(client, helpers, mandates: str) -> None:
    page = await client.get("/login", follow_redirects=True)
    form = helpers.hidden_fields(page.text) | {
        "role": "requester",
        "user": "sec",
        "employer_id": "0811111111",
        "name": "Sec",
        "mandates": mandates,
    }
    redirect = await client.post("/dev/oidc/authorize", data=form)
    assert redirect.status_code == 303, redirect.text
    await client.get(redirect.headers["location"])


async def test_the_chosen_employer_is_named_to_the_services(client, upstream, helpers):
    seen = []

    def history(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-idpro-employer"))
        if request.url.path.endswith("/counts"):
            return httpx.Response(200, json={"total": 0, "counts": {}})
        return httpx.Response(200, json={"items": [], "total": 0, "next_cursor": None})

    upstream["/history"] = history
    upstream["/drafts"] = lambda r: httpx.Response(200, json=[])
    await sign_in_with_mandates(client, helpers, "0822222222 0833333333")
    csrf = await helpers.csrf_of(client, "/employer")

    chosen = await client.post("/employer", data={"csrf_token": csrf, "employer_id": "0822222222"})
    dashboard = await client.get("/dashboard", headers={"Accept": "text/html"})

    assert chosen.status_code == 303
    assert dashboard.status_code == 200, dashboard.text[:3000]
    assert seen and set(seen) == {"0822222222"}
