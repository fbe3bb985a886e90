"""/metrics: HTTP series by route template, and scrape-time probes run at most once per ttl."""

import asyncio

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from eventing.metrics import Probes, install_metrics


def sample(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_requests_are_counted_and_timed_by_their_route_template_not_their_path():
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict:
        return {"id": item_id}

    install_metrics(app)
    labels = {"route": "/items/{item_id}", "method": "GET", "status": "200"}
    before = sample("idpro_http_requests_total", **labels) or 0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        for n in (1, 2, 3):
            assert (await client.get(f"/items/{n}")).status_code == 200
        assert (await client.get("/nowhere/7")).status_code == 404
        scraped = await client.get("/metrics")

    assert sample("idpro_http_requests_total", **labels) == before + 3
    assert (
        sample("idpro_http_request_duration_seconds_count", route="/items/{item_id}", method="GET")
        or 0
    ) >= 3
    assert sample("idpro_http_requests_total", route="unmatched", method="GET", status="404")
    assert scraped.headers["content-type"].startswith("text/plain")
    assert 'route="/items/{item_id}"' in scraped.text
    assert "/items/1" not in scraped.text


async def test_probes_run_once_within_their_ttl_and_a_failing_one_does_not_stop_the_others():
    calls: list[str] = []

    async def good() -> None:
        calls.append("good")

    async def broken() -> None:
        calls.append("broken")
        raise RuntimeError("down")

    probes = Probes(ttl_s=60)
    probes.add("good", good)
    probes.add("broken", broken)
    failures = sample("idpro_metrics_probe_failures_total", probe="broken") or 0
    await probes.refresh()  # the first scrape waits for real values
    assert sorted(calls) == ["broken", "good"]
    await probes.refresh()
    assert len(calls) == 2
    assert sample("idpro_metrics_probe_failures_total", probe="broken") == failures + 1


async def test_a_scrape_does_not_wait_for_a_slow_probe_once_it_has_values():
    release = asyncio.Event()
    rounds: list[int] = []

    async def slow() -> None:
        rounds.append(1)
        if len(rounds) > 1:
            await release.wait()

    probes = Probes(ttl_s=0)
    probes.add("slow", slow)
    await probes.refresh()
    await asyncio.wait_for(probes.refresh(), timeout=1)  # starts round 2, answers at once
    await asyncio.wait_for(probes.refresh(), timeout=1)  # round 2 still running: not doubled
    assert len(rounds) == 2
    release.set()
