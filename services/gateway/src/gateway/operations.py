"""Liveness and readiness: the gateway is ready when every service behind it is, and its own
background loops work."""

import httpx
from fastapi import Request

from eventing.health import Check, health_router
from gateway.parts import HTTP, SETTINGS, WORKERS

UPSTREAMS = ("intake", "matching", "notifier", "history")


async def upstreams_ready(request: Request) -> dict[str, Check]:
    client, settings = HTTP.of(request), SETTINGS.of(request)
    checks: dict[str, Check] = {
        name: (health.working, health.as_dict())
        for name, health in WORKERS.of(request).health().items()
    }
    for name in UPSTREAMS:
        try:
            response = await client.get(f"{getattr(settings, f'{name}_url')}/ready", timeout=3.0)
            checks[name] = response.status_code == 200
        except httpx.HTTPError:
            checks[name] = False
    return checks


router = health_router(upstreams_ready)
