"""Sessions are server-side: ended at sign-out, rotated at sign-in, revocable, shared by replicas;
the rate limits live in the same shared store and also cover sign-in and portal pages."""

from contextlib import asynccontextmanager

import httpx

from devstack.waiting import eventually
from eventing.parts import provide
from gateway import parts
from gateway.devidp import DevIdentityProvider

BASE = "http://testserver"


@asynccontextmanager
async def replica(app, fake_services):
    """One gateway process: its own lifespan, its own cookie jar."""
    async with app.router.lifespan_context(app):
        fake = httpx.AsyncClient(transport=fake_services)
        provide(app, {parts.HTTP: fake, parts.WAITS: fake})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
            c.app = app
            yield c


async def signed_in(client) -> bool:
    """The start page sends a signed-in user on to the dashboard."""
    return (await client.get("/")).status_code == 303


async def test_a_cookie_copied_before_sign_out_no_longer_signs_anyone_in(client, helpers):
    await helpers.sign_in(client)
    stolen = client.cookies["idpro_session"]
    csrf = await helpers.csrf_of(client, "/dashboard")

    assert (await client.post("/logout", data={"csrf_token": csrf})).status_code == 303

    client.cookies.set("idpro_session", stolen)
    assert not await signed_in(client)


async def test_sign_in_gives_the_session_a_new_id(client, helpers):
    await client.get("/login")
    before = client.cookies["idpro_session"]

    await helpers.sign_in(client)

    assert client.cookies["idpro_session"] != before
    assert await parts.SESSION_STORE.of(client.app).load(before) is None
    client.cookies.set("idpro_session", before)
    assert not await signed_in(client)


async def test_a_revoked_user_is_signed_out_everywhere(client, helpers):
    await helpers.sign_in(client, user="mallory")
    assert await signed_in(client)

    ended = await parts.SESSION_STORE.of(client.app).revoke("mallory")

    assert ended >= 1
    assert not await signed_in(client)


async def test_a_session_started_on_one_replica_works_on_another(make_app, fake_services, helpers):
    async with (
        replica(make_app(session_secret="s" * 40), fake_services) as one,
        replica(make_app(session_secret="s" * 40), fake_services) as two,
    ):
        await helpers.sign_in(one)
        two.cookies.set("idpro_session", one.cookies["idpro_session"])

        assert await signed_in(two)


async def test_the_api_limit_is_shared_by_every_replica(make_app, fake_services, upstream, keys):
    upstream["/history"] = lambda request: httpx.Response(200, json={"items": []})
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])
    headers = {"Authorization": f"Bearer {token}"}
    limits = {"rate_user_burst": 3, "rate_user_per_minute": 1}
    async with (
        replica(make_app(**limits), fake_services) as one,
        replica(make_app(**limits), fake_services) as two,
    ):
        answers = [
            (await c.get("/api/history/requests", headers=headers)).status_code
            for c in (one, two, one, two)
        ]

    assert answers == [200, 200, 200, 429]


async def test_sign_in_attempts_are_limited_per_address(make_app, fake_services):
    async with replica(make_app(rate_signin_burst=5, rate_signin_per_minute=1), fake_services) as c:
        answers = [(await c.get("/login")).status_code for _ in range(6)]

    assert 429 not in answers[:5]
    assert answers[5] == 429


async def test_portal_pages_are_limited_per_user(make_app, fake_services, helpers):
    async with replica(make_app(rate_page_burst=8, rate_page_per_minute=1), fake_services) as c:
        await helpers.sign_in(c)
        answers = [(await c.get("/")).status_code for _ in range(12)]

    assert 429 in answers
    refused = answers.index(429)
    assert all(status == 303 for status in answers[:refused])


async def test_the_sweeper_of_expired_sessions_is_a_worker_ready_shows(client):
    async def swept_once():
        sweeper = (await client.get("/ready")).json()["details"]["sweeper"]
        return sweeper if sweeper["since_last_success_s"] is not None else None

    sweeper = await eventually(swept_once, within=10)

    assert sweeper["alive"] is True and sweeper["failures"] == 0
