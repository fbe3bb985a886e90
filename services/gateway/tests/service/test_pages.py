"""Portal pages answer errors as pages in the user's language; the API door keeps problem+json."""


async def test_a_missing_page_is_an_html_page_in_the_users_language(client):
    response = await client.get(
        "/no-such-page", headers={"Accept": "text/html", "Accept-Language": "nl"}
    )

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Deze pagina bestaat niet." in response.text and 'href="/"' in response.text


async def test_the_api_door_answers_problem_json_even_to_a_browser(client):
    response = await client.get("/api/nothing-here", headers={"Accept": "text/html"})

    assert response.status_code in (401, 404)  # no token: refused before any route
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_favicon_is_served(client):
    response = await client.get("/favicon.ico", follow_redirects=True)

    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg")


async def test_a_fault_while_building_a_page_is_an_error_page_in_the_users_language(
    client, upstream, helpers
):
    await helpers.sign_in(client)

    def broken(request):
        raise RuntimeError("a fault of ours")

    upstream["/"] = broken
    page = await client.get(
        "/", headers={"Accept": "text/html", "Accept-Language": "de"}, follow_redirects=True
    )

    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["connection"] == "close"
    assert "Bei uns ist ein Fehler aufgetreten." in page.text
    assert "a fault of ours" not in page.text
