"""The form asks the kind of employment first and refuses at once those who get no number here."""

import uuid

import pytest

from contracts import RequestSubmitted


@pytest.mark.parametrize(
    ("employment", "code", "words"),
    [
        ("job_student", "eligibility.job_student", "Dimona"),
        ("occasional_agriculture", "eligibility.occasional_agriculture_worker", "commune"),
    ],
)
async def test_the_first_step_refuses_a_kind_of_employment_with_the_reason_and_where_to_go(
    tenant, samples, employment, code, words
):
    draft_id = await tenant.new_draft()

    response = await tenant.call(
        "PUT",
        f"/drafts/{draft_id}/document",
        json={**samples.document, "employment": employment},
        headers={"Accept-Language": "fr-BE"},
    )

    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("employment", code)
    assert words in error["message"]


async def test_an_employee_is_recorded_on_the_request_the_draft_becomes(tenant, samples, staged):
    draft_id = await tenant.filled_draft()
    saved = await tenant.call(
        "PUT", f"/drafts/{draft_id}/document", json={**samples.document, "employment": "employee"}
    )
    assert saved.json()["steps"]["document"]["data"]["employment"] == "employee"

    request = (await tenant.submit(draft_id)).json()

    [event] = await staged(RequestSubmitted, request["id"])
    assert event.data.employment == "employee"


async def test_a_request_in_one_body_is_refused_for_a_job_student_in_the_callers_language(
    tenant, samples
):
    body = {
        "person": {k: v for k, v in samples.person.items() if not k.startswith("document_")},
        **samples.address,
        **samples.submit,
        "employment": "job_student",
    }

    response = await tenant.call(
        "POST",
        "/requests",
        json=body,
        headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "de"},
    )

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("employment", "eligibility.job_student")
    assert "Werkstudenten" in error["message"]
