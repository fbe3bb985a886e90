"""Sign-in through the development OIDC provider, the session cookie, sign-out."""

import jwt

from gateway import parts


async def test_the_code_flow_signs_the_user_in_and_lands_on_the_dashboard(client, helpers):
    response = await helpers.sign_in(client, role="admin")

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    assert (await client.get("/")).headers["location"] == "/dashboard"


async def test_an_agent_lands_on_the_review_queue(client, helpers):
    response = await helpers.sign_in(client, role="agent")

    assert response.headers["location"] == "/review"


async def test_the_session_cookie_is_httponly_and_lax_and_holds_only_an_opaque_id(client, helpers):
    response = await helpers.sign_in(client)

    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    value = client.cookies["idpro_session"]
    assert "eyJ" not in value and "alice" not in value  # neither the token nor the user
    session = await _session(client)
    assert "eyJ" not in session["token"]  # stored encrypted, not as a bare JWT
    assert session["user"]["sub"] == "alice"


async def test_the_cookie_is_secure_when_configured(make_app):
    import httpx

    app = make_app(session_cookie_secure=True)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        response = await client.get("/login")
    assert "secure" in response.headers["set-cookie"].lower()


async def test_the_discovery_document_and_jwks_verify_the_access_token(client, helpers):
    discovery = (await client.get("/dev/oidc/.well-known/openid-configuration")).json()
    keys = (await client.get("/dev/oidc/jwks")).json()["keys"]

    assert discovery["issuer"] == "http://testserver/dev/oidc"
    assert keys[0]["alg"] == "RS256" and keys[0]["kid"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]


async def test_a_code_cannot_be_exchanged_without_the_pkce_verifier(client, helpers):
    page = await client.get("/login", follow_redirects=True)
    form = helpers.hidden_fields(page.text) | {
        "role": "requester",
        "user": "bob",
        "employer_id": "0123456789",
    }
    code = (
        (await client.post("/dev/oidc/authorize", data=form)).headers["location"].split("code=")[1]
    )
    code = code.split("&")[0]

    response = await client.post(
        "/dev/oidc/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": "idpro-portal",
            "client_secret": "dev-portal-secret",
            "redirect_uri": "http://testserver/auth/callback",
            "code_verifier": "wrong",
        },
    )

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant"}


async def test_the_tokens_carry_the_claims_the_services_verify(client, keys, helpers):
    await helpers.sign_in(client, role="requester", user="carol", employer="0999999999")
    token = parts.CIPHER.of(client.app).decrypt((await _session(client))["token"].encode()).decode()

    claims = jwt.decode(
        token, keys[1].read_text(), algorithms=["RS256"], audience="idpro", issuer="idpro-dev-idp"
    )
    assert (claims["sub"], claims["employer_id"], claims["roles"]) == (
        "carol",
        "0999999999",
        ["requester"],
    )


async def test_sign_out_forgets_the_user(client, helpers):
    await helpers.sign_in(client)
    token = await helpers.csrf_of(client, "/api/docs")

    response = await client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 303
    assert (await client.get("/dashboard")).headers["location"].startswith("/login")


async def test_a_next_target_off_the_site_is_ignored(client, helpers):
    await client.get("/login?next=//evil.example/x")

    response = await helpers.sign_in(client)

    assert response.headers["location"] == "/dashboard"


async def test_the_development_provider_is_off_unless_enabled(keys, gateway_database):
    import httpx
    from pydantic import SecretStr

    from gateway.app import create_app
    from gateway.config import GatewaySettings

    settings = GatewaySettings(
        database_url=gateway_database,
        jwt_public_key_file=keys[1],
        session_secret=SecretStr("x" * 40),
        oidc_issuer="https://idp.example",
        oidc_client_secret=SecretStr("s"),
    )
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        assert (await client.get("/dev/oidc/jwks")).status_code == 404
        assert (await client.post("/dev/token", json={"user": "x"})).status_code == 404


async def _session(client) -> dict:
    return await parts.SESSION_STORE.of(client.app).load(client.cookies["idpro_session"])


async def test_a_page_asked_for_under_another_loopback_name_moves_to_the_configured_one(make_app):
    import httpx

    app = make_app(public_url="http://127.0.0.1:8000")
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as client,
    ):
        page = await client.get("/login?next=/dashboard")
        api = await client.get("/api/history/requests")
        health = await client.get("/health")

    assert page.status_code == 307 and "set-cookie" not in page.headers
    assert page.headers["location"] == "http://127.0.0.1:8000/login?next=/dashboard"
    assert api.status_code != 307 and health.status_code == 200


async def test_the_whole_sign_in_works_when_started_under_localhost(make_app, helpers):
    import httpx

    app = make_app(public_url="http://127.0.0.1:8000")
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://localhost:8000"
        ) as client,
    ):
        page = await client.get("/login", follow_redirects=True)
        form = helpers.hidden_fields(page.text) | {
            "role": "requester",
            "user": "nina",
            "employer_id": "0123456789",
        }
        redirect = await client.post(
            f"{page.url.scheme}://{page.url.netloc.decode()}/dev/oidc/authorize", data=form
        )
        landed = await client.get(redirect.headers["location"])

    assert str(page.url).startswith("http://127.0.0.1:8000/")
    assert landed.status_code == 303 and landed.headers["location"] == "/dashboard"


async def test_no_host_is_rewritten_when_the_configured_address_is_not_a_loopback_one(make_app):
    import httpx

    app = make_app(public_url="https://idpro.example")
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://localhost:8000"
        ) as client,
    ):
        assert (await client.get("/")).status_code == 200
