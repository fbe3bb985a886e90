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
