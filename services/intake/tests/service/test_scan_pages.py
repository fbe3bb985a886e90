"""Each page of a scan as an image, for the viewers: a PDF's pages one by one, to whom reads it."""

import io
import uuid

from PIL import Image

from contracts import ReviewOpened
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.handlers import HANDLERS


def picture(response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "no-store"
    return Image.open(io.BytesIO(response.content))


async def test_the_employer_sees_each_page_of_a_pdf_and_nothing_past_the_last(tenant, scans):
    draft_id = await tenant.new_draft()
    pdf = (await tenant.upload(draft_id, scans.pdf(pages=2), filename="scan.pdf")).json()["id"]
    jpeg = (await tenant.upload(draft_id, scans.sharp())).json()["id"]

    first, second = [
        picture(await tenant.call("GET", f"/documents/{pdf}/pages/{n}")) for n in (1, 2)
    ]
    past = await tenant.call("GET", f"/documents/{pdf}/pages/3")
    image = await tenant.call("GET", f"/documents/{jpeg}/pages/1")
    image_past = await tenant.call("GET", f"/documents/{jpeg}/pages/2")

    assert first.size == second.size == (1011, 638)
    assert past.status_code == 404 and past.json()["code"] == "document.page_not_found"
    assert image.content == (await tenant.call("GET", f"/documents/{jpeg}")).content
    assert image.headers["content-type"] == "image/jpeg"
    assert image_past.status_code == 404


async def test_another_employer_and_an_agent_outside_research_see_no_page(
    tenant, other_tenant, client, token, scans
):
    draft_id = await tenant.new_draft()
    pdf = (await tenant.upload(draft_id, scans.pdf(pages=1), filename="scan.pdf")).json()["id"]
    agent = token(None, roles=("agent",))

    theirs = await other_tenant.call("GET", f"/documents/{pdf}/pages/1")
    agents = await client.get(f"/documents/{pdf}/pages/1", headers=agent)

    assert (theirs.status_code, agents.status_code) == (404, 404)


async def test_an_agent_pages_through_the_pdf_of_a_request_under_research(
    tenant, app, client, token, scans
):
    draft_id = await tenant.filled_draft(scan=scans.pdf(pages=2))
    pdf = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"]["pages"][0]
    request_id = (await tenant.submit(draft_id)).json()["id"]
    opened = ReviewOpened(
        producer="matching",
        request_id=uuid.UUID(request_id),
        employer_id=tenant.employer_id,
        case_id=uuid.uuid4(),
        reason="ambiguous_candidates",
    )
    async with transaction(SESSIONS.of(app)) as tx:
        await HANDLERS[ReviewOpened](opened, tx)
    agent = token(None, roles=("agent",))

    pages = [await client.get(f"/documents/{pdf['id']}/pages/{n}", headers=agent) for n in (1, 2)]

    assert pdf["pages"] == 2
    assert [picture(p).size for p in pages] == [(1011, 638), (1011, 638)]
