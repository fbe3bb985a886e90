"""The draft wizard over HTTP: step by step, read back, submitted once, warned of duplicates."""

import uuid

from contracts import RequestSubmitted
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.tables import Draft


async def test_a_new_draft_records_its_requester_and_lists_what_each_step_lacks(tenant):
    draft = (await tenant.call("GET", f"/drafts/{await tenant.new_draft()}")).json()

    assert draft["status"] == "open" and draft["requester_id"] == "hr-1"
    assert draft["steps"]["document"]["missing"] == ["type", "issuing_country", "pages"]
    assert draft["steps"]["person"]["missing"] == ["surnames"]
    assert draft["steps"]["address"]["missing"] == ["residence"]
    assert draft["ready"] is False and draft["minimum_data"] is None


async def test_each_step_is_saved_on_its_own_and_read_back_complete(tenant, samples):
    draft_id = await tenant.new_draft()
    await tenant.call("PUT", f"/drafts/{draft_id}/person", json=samples.person)

    later = (await tenant.call("GET", f"/drafts/{draft_id}")).json()

    assert later["steps"]["person"]["complete"] is True
    assert later["steps"]["person"]["data"]["surnames"] == "Kowalska"
    assert later["steps"]["document"]["complete"] is False


async def test_a_filled_draft_is_ready_and_meets_the_minimum_data(tenant):
    draft = (await tenant.call("GET", f"/drafts/{await tenant.filled_draft()}")).json()

    assert all(step["complete"] for step in draft["steps"].values())
    assert draft["minimum_data"] == {"met": True, "alternative": 1, "missing": []}
    assert draft["ready"] is True


async def test_submitting_stores_the_request_and_stages_request_submitted_with_document_refs(
    tenant, staged
):
    draft_id = await tenant.filled_draft()
    page = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"]["pages"][0]

    response = await tenant.submit(draft_id)

    assert response.status_code == 201, response.text
    request = response.json()
    assert request["status"] == "submitted" and request["version"] == 1
    [event] = await staged(RequestSubmitted, request["id"])
    assert event.data.person.document.type == "passport"
    assert event.data.person.document.number == "EA1234567"
    assert [(d.document_id, d.sha256) for d in event.data.documents] == [
        (uuid.UUID(page["id"]), page["sha256"])
    ]
    assert event.notification_email == "hr@example.be" and event.language == "fr"
    assert (await tenant.call("GET", f"/drafts/{draft_id}")).json()[
        "submitted_request_id"
    ] == request["id"]


async def test_a_retried_submit_with_the_same_key_creates_no_second_request(tenant, staged):
    draft_id = await tenant.filled_draft()
    key = str(uuid.uuid4())

    first = await tenant.submit(draft_id, key=key)
    second = await tenant.submit(draft_id, key=key)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["idempotent-replayed"] == "true"
    assert len(await staged(RequestSubmitted, first.json()["id"])) == 1


async def test_a_submitted_draft_can_be_neither_submitted_again_nor_edited(tenant, samples):
    draft_id = await tenant.filled_draft()
    await tenant.submit(draft_id)

    again = await tenant.submit(draft_id)
    edit = await tenant.call("PUT", f"/drafts/{draft_id}/person", json=samples.person)

    assert again.status_code == edit.status_code == 409
    assert again.json()["code"] == "draft.already_submitted"


async def test_an_incomplete_draft_is_refused_naming_the_steps_it_lacks(tenant, samples):
    draft_id = await tenant.new_draft()
    await tenant.call("PUT", f"/drafts/{draft_id}/person", json=samples.person)

    response = await tenant.submit(draft_id)

    assert response.status_code == 422
    assert response.json()["code"] == "draft.incomplete"
    assert response.json()["steps"] == {
        "document": ["type", "issuing_country", "pages"],
        "address": ["residence"],
    }


async def test_a_draft_without_the_minimum_data_names_the_closest_alternative(tenant, samples):
    person = {"surnames": "Kowalska", "given_names": "Anna", "sex": "female"}
    address = {"residence": {"city": "Liège", "country": "BE", "postal_code": "4000"}}
    draft_id = await tenant.filled_draft(person=person, address=address)

    response = await tenant.call(
        "POST",
        f"/drafts/{draft_id}/submit",
        json=samples.submit,
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "nl-BE,nl;q=0.9"},
    )

    body = response.json()
    assert response.status_code == 422 and body["code"] == "mid.not_met"
    assert body["params"] == {"alternative": 3, "missing": ["birth_date"]}
    assert "Er ontbreekt nog: geboortedatum (ook onvolledig)" in body["message"]


async def test_submit_needs_the_notification_email_and_language(tenant):
    response = await tenant.submit(await tenant.filled_draft(), body={})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"notification_email", "language"}


async def test_a_deleted_draft_is_gone_with_its_scans(tenant):
    draft_id = await tenant.filled_draft()
    page = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"]["pages"][0]

    assert (await tenant.call("DELETE", f"/drafts/{draft_id}")).status_code == 204

    assert (await tenant.call("GET", f"/drafts/{draft_id}")).status_code == 404
    assert (await tenant.call("GET", page["href"])).status_code == 404


async def test_a_draft_for_the_same_person_warns_of_the_open_request_with_a_link(tenant, samples):
    earlier = (await tenant.submit(await tenant.filled_draft())).json()
    draft_id = await tenant.new_draft()
    # Another spelling of the same name: accents dropped, names swapped.
    await tenant.call(
        "PUT",
        f"/drafts/{draft_id}/person",
        json={"surnames": "Anna", "given_names": "KOWALSKA", "birth_date": "1990-04-02"},
    )

    warnings = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["warnings"]

    assert warnings == [
        {
            "code": "draft.possible_duplicate",
            "request_id": earlier["id"],
            "status": "submitted",
            "href": f"/requests/{earlier['id']}",
        }
    ]


async def test_a_cancelled_request_raises_no_duplicate_warning(tenant, samples):
    earlier = (await tenant.submit(await tenant.filled_draft())).json()
    await tenant.call("POST", f"/requests/{earlier['id']}/cancel")
    draft_id = await tenant.new_draft()
    await tenant.call("PUT", f"/drafts/{draft_id}/person", json=samples.person)

    assert (await tenant.call("GET", f"/drafts/{draft_id}")).json()["warnings"] == []


async def test_the_message_catalogue_has_every_key_in_four_languages(tenant):
    catalogue = (await tenant.call("GET", "/drafts/messages")).json()

    assert catalogue["languages"] == ["fr", "nl", "de", "en"]
    for key in ("name.characters", "ssin.checksum", "mid.not_met", "document.too_blurred"):
        assert set(catalogue["messages"][key]) == {"fr", "nl", "de", "en"}


async def test_a_validation_problem_is_in_the_asked_language_and_never_echoes_the_input(tenant):
    draft_id = await tenant.new_draft()

    response = await tenant.call(
        "PUT",
        f"/drafts/{draft_id}/person",
        json={"surnames": "Zbigniew<script>", "birth_date": "3025-01"},
        headers={"Accept-Language": "de"},
    )

    body = response.json()
    assert response.status_code == 422 and body["code"] == "validation.failed"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("surnames", "name.characters"),
        ("birth_date", "date.in_future"),
    }
    assert "Zukunft" in str(body["errors"])
    assert "Zbigniew" not in response.text and "3025" not in response.text


async def test_a_document_that_expired_since_its_step_was_saved_is_refused_at_submit(tenant, app):
    draft_id = await tenant.filled_draft()
    async with transaction(SESSIONS.of(app)) as tx:
        draft = await tx.get(Draft, uuid.UUID(draft_id))
        draft.steps = {
            **draft.steps,
            "person": {**draft.steps["person"], "document_expiry_date": "2020-01-01"},
        }

    response = await tenant.submit(draft_id)

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("person.document_expiry_date", "document.expired")
    ]


async def test_the_author_lists_their_open_drafts_with_the_step_each_stopped_at(
    tenant, colleague, samples
):
    only_person = await tenant.new_draft()
    await tenant.call("PUT", f"/drafts/{only_person}/person", json=samples.person)
    sent = await tenant.filled_draft()
    await tenant.submit(sent)
    await colleague.new_draft()

    listed = (await tenant.call("GET", "/drafts")).json()

    assert [(d["id"], d["resume_at"], d["surnames"]) for d in listed] == [
        (only_person, "document", "Kowalska")
    ]
    assert (await colleague.call("GET", "/drafts")).json()[0]["resume_at"] == "document"
