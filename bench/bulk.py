"""Bulk request benchmark: a 10,000-row CSV uploaded to intake of a whole running system, timed
from the upload to every row validated and accepted, to the result file, and to the last of the
rows' events leaving intake's outbox.

The system is devstack's (broker, PostgreSQL, SMTP sink, every service on free ports, as in
`python -m chaos`); the CSV's rows are distinct new persons, each a valid request. Run it on a
quiet machine and say the load average (`uptime`) with the figures:

    python -m bench.bulk --rows 10000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from bench.report import print_table, write_json
from chaos.load import Population, person_body
from chaos.stack import ChaosStack
from devstack.databases import to_asyncpg_dsn

COLUMNS = ("surnames", "given_names", "sex", "birth_date", "birth_place", "birth_country",
           "nationality", "residence_street", "residence_number", "residence_postal_code",
           "residence_city", "residence_country", "notification_email", "language")  # fmt: skip


def workers_csv(rows: int, run: str) -> bytes:
    """`rows` distinct new persons, one valid request each, under intake's own column names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for n in range(rows):
        body = person_body(f"bulk-{run}-{n}")
        person, home = body["person"], body["residence"]
        writer.writerow([
            person["surnames"], person["given_names"], person["sex"], person["birth_date"],
            person["birth_place"], person["birth_country"], person["nationality"],
            home["street"], home["number"], home["postal_code"], home["city"], home["country"],
            f"bulk-{run}-{n}@example.be", body["language"],
        ])  # fmt: skip
    return out.getvalue().encode()


async def unpublished(database_url: str) -> int:
    conn = await asyncpg.connect(to_asyncpg_dsn(database_url))
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"
        )
    finally:
        await conn.close()


async def run(stack: ChaosStack, rows: int, *, timeout_s: float) -> dict:
    run_id = uuid.uuid4().hex[:6]
    token = Population(stack.system.keys[0].read_text(), run=run_id).tokens[0]
    data = workers_csv(rows, run_id)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-bulk-{run_id}"}
    progress: list[tuple[float, int]] = []
    async with httpx.AsyncClient(base_url=stack.system.url("intake"), timeout=120.0) as client:
        started = time.perf_counter()
        upload = await client.post(
            "/batches", files={"file": ("workers.csv", data, "text/csv")}, headers=headers
        )
        uploaded = time.perf_counter() - started
        if upload.status_code != 202:
            raise SystemExit(f"upload answered {upload.status_code}: {upload.text[:300]}")
        location = upload.headers["location"]
        while True:
            batch = (await client.get(location, headers=headers)).json()
            progress.append((round(time.perf_counter() - started, 2), batch["processed"]))
            if batch["status"] == "done":
                break
            if time.perf_counter() - started > timeout_s:
                raise SystemExit(f"not done after {timeout_s:.0f} s: {batch}")
            await asyncio.sleep(0.25)
        processed = time.perf_counter() - started
        results = await client.get(
            f"{location}/results", params={"format": "csv", "lang": "fr"}, headers=headers
        )
        with_results = time.perf_counter() - started
    table = list(csv.reader(io.StringIO(results.content.decode("utf-8-sig"))))[1:]
    accepted = sum(1 for row in table if row[2])
    database_url = stack.system.database_urls["intake"]
    left = await unpublished(database_url)
    for _ in range(int(timeout_s * 2)):  # polled: the relay's progress is in another process
        if not left or time.perf_counter() - started > timeout_s:
            break
        await asyncio.sleep(0.5)
        left = await unpublished(database_url)
    published = time.perf_counter() - started
    return {
        "rows": rows,
        "csv_bytes": len(data),
        "upload_s": round(uploaded, 2),
        "all_rows_processed_s": round(processed, 2),
        "result_file_s": round(with_results, 2),
        "result_file_bytes": len(results.content),
        "accepted": accepted,
        "refused": batch["refused"],
        "rows_per_s": round(rows / (processed - uploaded), 1),
        "outbox_drained_s": round(published, 2) if not left else None,
        "progress": progress[:: max(1, len(progress) // 20)],
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds")
    args = parser.parse_args(argv)
    state = Path(tempfile.mkdtemp(prefix="idpro-bench-bulk-"))
    stack = ChaosStack(state)
    try:
        stack.start()
        print(f"bench.bulk: system up; load average {os.getloadavg()}", flush=True)
        figures = asyncio.run(run(stack, args.rows, timeout_s=args.timeout))
    finally:
        stack.stop()
        shutil.rmtree(state, ignore_errors=True)
    progress = figures.pop("progress")
    print_table("bulk CSV (upload → every row decided by intake → result file)",
                list(figures.items()))  # fmt: skip
    print("progress (s, rows processed):", progress)
    write_json("bulk", {**figures, "progress": progress})


if __name__ == "__main__":
    main()
