"""CSRF, security headers and rate limits."""

import httpx

from eventing.parts import provide
from gateway import parts

PROBLEM = {"code": "ok"}


async def test_a_post_without_the_csrf_token_is_refused(client, helpers):
    await helpers.sign_in(client)

    response = await client.post("/logout", data={})

    assert response.status_code == 403
    assert "<html" in response.text  # an error page, not a sign-out
    assert (await client.get("/")).status_code == 303  # still signed in


async def test_a_post_with_another_sessions_token_is_refused(client, helpers):
    await helpers.sign_in(client)

    response = await client.post("/language", data={"csrf_token": "forged", "lang": "fr"})

    assert response.status_code == 403


async def test_the_dev_provider_form_is_csrf_protected_too(client):
    response = await client.post("/dev/oidc/authorize", data={"role": "agent", "user": "x"})

    assert response.status_code == 403


async def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/static/app.css", "/api/requests", "/nowhere"):
        headers = (await client.get(path)).headers
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


async def test_pages_are_not_stored_but_static_files_are_cached(client, helpers):
    await helpers.sign_in(client)

    assert (await client.get("/login")).headers["cache-control"] == "no-store"
    assert "max-age" in (await client.get("/static/app.js")).headers["cache-control"]


async def test_an_api_caller_over_its_limit_gets_429_with_retry_after(
    make_app, upstream, keys, fake_services
):
    from gateway.devidp import DevIdentityProvider

    upstream["/history"] = lambda request: httpx.Response(200, json={"items": []})
    app = make_app(rate_user_burst=3, rate_user_per_minute=6)
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])
    async with app.router.lifespan_context(app):
        fake = httpx.AsyncClient(transport=fake_services)
        provide(app, {parts.HTTP: fake, parts.WAITS: fake})
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            answers = [
                await client.get(
                    "/api/history/requests", headers={"Authorization": f"Bearer {token}"}
                )
                for _ in range(4)
            ]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert answers[-1].json()["code"] == "rate_limited"


async def test_a_control_character_in_an_api_path_reaches_the_service_encoded_not_a_500(
    client, upstream, keys
):
    from gateway.devidp import DevIdentityProvider

    seen = []
    upstream["/drafts"] = lambda request: (
        seen.append(request.url.raw_path) or httpx.Response(422, json={"code": "validation.failed"})
    )
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])

    response = await client.get(
        "/api/drafts/T%01%C2%B4%2E%2E%2Fx?lang=fr", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 422
    assert seen == [b"/drafts/T%01%C2%B4%2E%2E%2Fx?lang=fr"]


async def test_once_the_development_provider_is_off_its_tokens_are_refused(
    make_app, upstream, keys, fake_services
):
    from gateway.devidp import DevIdentityProvider

    upstream["/history"] = lambda request: httpx.Response(200, json={"items": []})
    app = make_app(
        dev_idp_enabled=False,
        session_secret="s" * 40,
        oidc_issuer="https://idp.example",
        oidc_client_secret="operator-secret",
    )
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    claims = {"subject": "u1", "name": None, "employer_id": "0123456789", "roles": ["requester"]}
    minted_by_dev_idp = idp.mint(**claims)
    # The same key, without the development mark: what the operator's provider would sign.
    operators = idp.mint(**claims, extra={"dev_only": None})
    async with app.router.lifespan_context(app):
        fake = httpx.AsyncClient(transport=fake_services)
        provide(app, {parts.HTTP: fake, parts.WAITS: fake})
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            refused = await client.get(
                "/api/history/requests", headers={"Authorization": f"Bearer {minted_by_dev_idp}"}
            )
            accepted = await client.get(
                "/api/history/requests", headers={"Authorization": f"Bearer {operators}"}
            )

    assert (refused.status_code, refused.json()["code"]) == (401, "auth.development_token")
    assert accepted.status_code == 200
