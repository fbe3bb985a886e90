"""Bulk requests in the portal: a CSV read for its header, the mapping pre-filled and sent to
intake with the file, the batch's progress and its result file; bad files are pages that say why."""

import html
import json
import re
import uuid

import httpx

BATCH_ID = str(uuid.uuid4())
CSV = (
    "Surname;given_names;birth_date;residence_city;residence_country;E-mail\n"
    "Kowalski;Jan;1990-01-01;Warszawa;PL;a@example.be\n"
    "Nowak;Anna;1991-02-02;Kraków;PL;b@example.be\n"
).encode()
# 1,000 rows that compress little: the mapping form carries it in a field over a form's 16 KiB.
BIG_CSV = (
    CSV
    + "".join(
        f"{uuid.uuid4().hex};{uuid.uuid4().hex[:8]};1990-01-01;Gent;BE;x{n}@example.be\n"
        for n in range(1000)
    ).encode()
)


def batch(**counts) -> dict:
    return {
        "id": BATCH_ID, "status": "processing", "source": "csv", "total": 2, "processed": 0,
        "accepted": 0, "refused": 0, "requester_name": "Alice",
        "created_at": "2026-12-02T06:00:00Z", "finished_at": None,
        "results_href": f"/batches/{BATCH_ID}/results", **counts,
    }  # fmt: skip


def fake_intake(seen: list[httpx.Request], shown: dict):
    def intake(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if request.method == "POST" and path == "/batches":
            return httpx.Response(202, json=batch(), headers={"location": f"/batches/{BATCH_ID}"})
        if path == "/batches":
            return httpx.Response(200, json=[batch()])
        if path.endswith("/results") and request.url.params.get("format") == "csv":
            lang = request.url.params["lang"]
            return httpx.Response(200, content=f"\ufeffrow,{lang}\n".encode())
        if path.endswith("/results"):
            errors = [{"field": "birth_date", "code": "x", "message": "Date de naissance invalide"}]
            return httpx.Response(200, json=[{"row": 2, "status": "refused", "errors": errors}])
        return httpx.Response(200, json=shown)

    return intake


async def upload(client, helpers, data: bytes, name: str = "workers.csv") -> httpx.Response:
    csrf = await helpers.csrf_of(client, "/bulk")
    return await client.post(
        "/bulk",
        data={"csrf_token": csrf},
        files={"file": (name, data, "text/csv")},
        headers={"Accept-Language": "fr"},
    )


async def test_a_csv_is_mapped_sent_followed_and_its_result_file_downloaded(
    client, upstream, helpers
):
    seen: list[httpx.Request] = []
    shown = batch()
    upstream["/batches"] = fake_intake(seen, shown)
    await helpers.sign_in(client)

    mapping = await upload(client, helpers, BIG_CSV)
    assert mapping.status_code == 200, mapping.text[:2000]
    selected = {
        field: chosen[0]
        for field, options in re.findall(r'<select id="f-map-(\w+)"[^>]*>(.*?)</select>', mapping.text, re.S)
        if (chosen := re.findall(r'<option value="([^"]+)" selected', options))
    }  # fmt: skip
    assert selected["surnames"] == "Surname" and selected["given_names"] == "given_names"
    assert "notification_email" not in selected  # "E-mail" is no field's name: not guessed
    form = helpers.hidden_fields(mapping.text)
    assert len(form["packed"]) > 16 * 1024
    sent = await client.post(
        "/bulk/send",
        data={
            **form,
            **{f"map.{k}": v for k, v in selected.items()},
            "map.notification_email": "E-mail",
            "default.language": "nl",
        },
        headers={"Accept-Language": "fr"},
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/bulk/{BATCH_ID}"
    [post] = [r for r in seen if r.method == "POST"]
    assert json.loads(post.url.params["mapping"])["notification_email"] == "E-mail"
    assert json.loads(post.url.params["defaults"]) == {"language": "nl"}
    assert BIG_CSV in post.content  # the very file, carried through the mapping form

    page = await client.get(f"/bulk/{BATCH_ID}", headers={"Accept-Language": "fr"})
    assert re.search(r'<progress[^>]*max="2"[^>]*value="0"', page.text)
    assert f'data-batch-poll="/bulk/{BATCH_ID}/progress"' in page.text
    shown |= {"processed": 1, "accepted": 1}
    progress = (await client.get(f"/bulk/{BATCH_ID}/progress")).json()
    assert (progress["processed"], progress["pending"], progress["percent"]) == (1, 1, 50)

    shown |= {"status": "done", "processed": 2, "refused": 1}
    done = await client.get(f"/bulk/{BATCH_ID}", headers={"Accept-Language": "fr"})
    assert "data-done" in done.text and "Date de naissance invalide" in done.text
    results = await client.get(f"/bulk/{BATCH_ID}/results.csv", headers={"Accept-Language": "de"})
    assert results.status_code == 200 and results.text.endswith("row,de\n")
    assert "attachment" in results.headers["content-disposition"]


async def test_bad_files_and_a_missing_mapping_say_why_in_the_users_language(
    client, upstream, helpers
):
    upstream["/batches"] = fake_intake([], batch())
    await helpers.sign_in(client)

    not_csv = await upload(client, helpers, b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.png")
    too_many = await upload(client, helpers, b"surnames;residence_city\n" + b"X;Y\n" * 10_001)
    assert (not_csv.status_code, too_many.status_code) == (422, 422)
    assert "Ce n'est pas un fichier CSV en UTF-8." in html.unescape(not_csv.text)
    assert re.search(r"Un lot compte au plus 10\s000 lignes\.", html.unescape(too_many.text))

    mapping = await upload(client, helpers, CSV)
    form = helpers.hidden_fields(mapping.text)
    missing = await client.post(
        "/bulk/send", data={**form, "map.given_names": "given_names"},
        headers={"Accept-Language": "fr"},
    )  # fmt: skip
    assert missing.status_code == 422
    assert "Choisissez la colonne pour «\u00a0Nom(s)\u00a0»." in html.unescape(missing.text)
    assert 'id="f-map-surnames" name="map.surnames" aria-invalid="true"' in missing.text


async def test_the_api_door_forwards_batches_to_intake_with_room_for_a_file(client, upstream):
    seen: list[httpx.Request] = []
    upstream["/batches"] = fake_intake(seen, batch())
    token = (
        await client.post("/dev/token", json={"employer_id": "0123456789", "user": "payroll"})
    ).json()
    big = b"surnames;residence_city\n" + b"Kowalski;Warszawa\n" * 20_000  # 360 KB, over 256 KiB

    answer = await client.post(
        "/api/batches",
        files={"file": ("workers.csv", big, "text/csv")},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )

    assert answer.status_code == 202, answer.text[:500]
    assert len(seen[0].content) > len(big)
