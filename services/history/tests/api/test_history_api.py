"""The history API over HTTP (ASGI, no Kafka) on a real, migrated database."""

from datetime import timedelta
from uuid import uuid4

import pytest

from contracts import InfoRequested, RequestCancelled

NAMES = [
    ("Müller", "Jörg"),
    ("Muller", "Anna"),
    ("Kowalska", "Anna"),
    ("Nguyen", "Van"),
    ("Ångström", "Lena"),
]


@pytest.fixture
async def seeded(sessions, employer, ev):
    """Five requests of `employer`: requester-1 submitted three, requester-2 two; one each day."""
    requests = []
    for day, (surnames, given) in enumerate(NAMES):
        requester = "requester-1" if day % 2 == 0 else "requester-2"
        requests.append(
            ev.submitted(
                employer,
                surnames=surnames,
                given=given,
                requester=requester,
                at=ev.T0 + timedelta(days=day),
            )
        )
    asked = InfoRequested(
        producer="matching",
        request_id=requests[1].request_id,
        employer_id=employer,
        occurred_at=ev.T0 + timedelta(days=9),
    )
    cancelled = RequestCancelled(
        producer="intake",
        request_id=requests[3].request_id,
        employer_id=employer,
        occurred_at=ev.T0 + timedelta(days=8),
        cancelled_by="requester-2",
    )
    await ev.project(sessions, *requests, ev.assigned(requests[0]), asked, cancelled)
    return requests


def auth(token: str, **headers) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **headers}


async def names(client, token, **params) -> list[str]:
    response = await client.get("/history/requests", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    return [item["worker_name"] for item in response.json()["items"]]


async def test_the_default_list_is_newest_change_first(client, token_for, employer, seeded):
    assert await names(client, token_for(employer)) == [
        "Anna Muller",
        "Van Nguyen",
        "Lena Ångström",
        "Anna Kowalska",
        "Jörg Müller",
    ]


async def test_another_employer_sees_none_of_these_requests_on_any_route(client, token_for, seeded):
    intruder = token_for("0999999999")
    detail = await client.get(f"/history/requests/{seeded[0].request_id}", headers=auth(intruder))
    counts = await client.get("/history/requests/counts", headers=auth(intruder))

    assert await names(client, intruder) == []
    assert detail.status_code == 404
    assert detail.headers["content-type"] == "application/problem+json"
    assert counts.json()["total"] == 0


async def test_an_agent_or_a_caller_without_token_is_refused(client, token_for, employer):
    agent = await client.get("/history/requests", headers=auth(token_for(None, roles=("agent",))))
    anonymous = await client.get("/history/requests/counts")

    assert (agent.status_code, anonymous.status_code) == (403, 401)


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        (
            "worker_name",
            "asc",
            ["Lena Ångström", "Anna Kowalska", "Anna Muller", "Jörg Müller", "Van Nguyen"],
        ),
        (
            "submitted",
            "asc",
            ["Jörg Müller", "Anna Muller", "Anna Kowalska", "Van Nguyen", "Lena Ångström"],
        ),
        (
            "requester",
            "desc",
            ["Anna Muller", "Van Nguyen", "Lena Ångström", "Anna Kowalska", "Jörg Müller"],
        ),
        # Alphabetical by status, then by last change within one status.
        (
            "status",
            "asc",
            ["Van Nguyen", "Anna Muller", "Jörg Müller", "Anna Kowalska", "Lena Ångström"],
        ),
    ],
)
async def test_the_list_sorts_by_each_column_both_ways(
    client, token_for, employer, seeded, sort, order, expected
):
    token = token_for(employer)
    flipped = "desc" if order == "asc" else "asc"

    assert await names(client, token, sort=sort, order=order) == expected
    assert await names(client, token, sort=sort, order=flipped) == expected[::-1]


async def test_keyset_pages_visit_every_request_once_even_when_all_values_tie(
    client, token_for, employer, sessions, ev
):
    same_time = [ev.submitted(employer, surnames="Peeters") for _ in range(7)]
    await ev.project(sessions, *same_time)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "sort": "submitted", **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get("/history/requests", params=params, headers=auth(token_for(employer)))
        ).json()
        seen += [item["request_id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert seen == sorted(str(e.request_id) for e in same_time)[::-1]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": ["submitted", "cancelled"]}, {"Van Nguyen", "Lena Ångström", "Anna Kowalska"}),
        ({"action_required": "true"}, {"Anna Muller"}),
        ({"requester": "requester-2"}, {"Anna Muller", "Van Nguyen"}),
        ({"mine": "true"}, {"Jörg Müller", "Anna Kowalska", "Lena Ångström"}),
        (
            {"submitted_from": "2025-03-02", "submitted_to": "2025-03-03"},
            {"Anna Muller", "Anna Kowalska"},
        ),
        ({"q": "MULLER"}, {"Jörg Müller", "Anna Muller"}),
        ({"q": "anna kow"}, {"Anna Kowalska"}),
        ({"q": "angst"}, {"Lena Ångström"}),
    ],
)
async def test_the_list_filters_and_searches(client, token_for, employer, seeded, params, expected):
    assert set(await names(client, token_for(employer), **params)) == expected


async def test_counts_per_status_follow_the_other_filters(client, token_for, employer, seeded):
    token = token_for(employer)
    everything = (await client.get("/history/requests/counts", headers=auth(token))).json()
    mine = (
        await client.get("/history/requests/counts", params={"mine": "true"}, headers=auth(token))
    ).json()

    assert everything["total"] == 5
    assert everything["counts"] == {
        "submitted": 2,
        "under_review": 0,
        "information_requested": 1,
        "number_assigned": 1,
        "rejected": 0,
        "cancelled": 1,
        "expired": 0,
    }
    assert (mine["total"], mine["counts"]["information_requested"]) == (3, 0)


async def test_the_detail_shows_the_timeline_in_the_readers_language(
    client, token_for, employer, seeded
):
    response = await client.get(
        f"/history/requests/{seeded[0].request_id}",
        headers=auth(token_for(employer), **{"accept-language": "fr-BE"}),
    )

    body = response.json()
    assert (body["status"], body["ssin"]) == ("number_assigned", "90440200134")
    assert [entry["text"] for entry in body["timeline"]] == [
        "Demande introduite par Requester-1.",
        "Numéro 90.44.02-001.34 attribué (nouveau numéro BIS créé).",
    ]


async def test_an_unknown_request_is_not_found(client, token_for, employer):
    response = await client.get(f"/history/requests/{uuid4()}", headers=auth(token_for(employer)))

    assert (response.status_code, response.json()["code"]) == (404, "request.not_found")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sort": "ssin"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"status": "lost"}, "status"),
    ],
)
async def test_bad_list_parameters_are_a_problem_naming_the_parameter(
    client, token_for, employer, params, parameter
):
    response = await client.get(
        "/history/requests", params=params, headers=auth(token_for(employer))
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


async def test_a_cursor_of_another_sort_order_is_refused(client, token_for, employer, seeded):
    token = token_for(employer)
    first = (await client.get("/history/requests", params={"limit": 2}, headers=auth(token))).json()
    reused = await client.get(
        "/history/requests",
        headers=auth(token),
        params={"sort": "worker_name", "cursor": first["next_cursor"]},
    )

    assert (reused.status_code, reused.json()["parameter"]) == (400, "cursor")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"submitted_from": "0001-01-01"}, "query.submitted_from"),
        ({"submitted_to": "9999-12-31"}, "query.submitted_to"),
        ({"requester": "requester-1\x00"}, "query.requester"),
        ({"q": "Kowal\x00ska"}, "query.q"),
    ],
)
async def test_an_out_of_bounds_filter_is_a_422_naming_it_never_a_500(
    client, token_for, employer, params, field
):
    response = await client.get(
        "/history/requests", params=params, headers=auth(token_for(employer))
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert "Kowal" not in response.text


async def test_a_cursor_carries_no_value_of_the_row_and_cannot_be_forged(
    client, token_for, employer, seeded
):
    import base64
    import json

    token = token_for(employer)
    params = {"limit": 2, "sort": "worker_name", "order": "asc"}
    first = (await client.get("/history/requests", params=params, headers=auth(token))).json()
    cursor = first["next_cursor"]
    encoded = cursor.split(".")[0]
    body = json.loads(base64.urlsafe_b64decode(encoded + "=="))
    forged = base64.urlsafe_b64encode(json.dumps({**body, "r": str(uuid4())}).encode()).decode()

    second = await client.get(
        "/history/requests", params={**params, "cursor": cursor}, headers=auth(token)
    )
    tampered = await client.get(
        "/history/requests",
        params={**params, "cursor": f"{forged}.{cursor.split('.')[1]}"},
        headers=auth(token),
    )

    assert set(body) == {"s", "o", "r"}  # the sort, the order and a request id: no name
    decoded = base64.urlsafe_b64decode(encoded + "==").decode().upper()
    assert not any(surname.upper() in decoded for surname, _ in NAMES)
    assert second.status_code == 200 and len(second.json()["items"]) == 2
    assert (tampered.status_code, tampered.json()["parameter"]) == (400, "cursor")


async def test_a_search_by_name_goes_in_a_body_and_pages_like_the_list(
    client, token_for, employer, seeded
):
    headers = auth(token_for(employer))
    body = {"q": "anna", "limit": 1, "sort": "worker_name", "order": "asc"}

    first = (await client.post("/history/requests/search", json=body, headers=headers)).json()
    second = (
        await client.post(
            "/history/requests/search",
            json={**body, "cursor": first["next_cursor"]},
            headers=headers,
        )
    ).json()
    counts = (
        await client.post("/history/requests/counts", json={"q": "anna"}, headers=headers)
    ).json()

    assert [i["worker_name"] for i in first["items"] + second["items"]] == [
        "Anna Kowalska",
        "Anna Muller",
    ]
    assert counts["total"] == 2
