"""Liveness and readiness: the gateway is ready when every service behind it is."""

import httpx
from fastapi import Request

from eventing.health import health_router
from gateway.parts import HTTP, SETTINGS

UPSTREAMS = ("intake", "matching", "notifier", "history")


async def upstreams_ready(request: Request) -> dict[str, bool]:
    client, settings = HTTP.of(request), SETTINGS.of(request)
    checks = {}
    for name in UPSTREAMS:
        try:
            response = await client.get(f"{getattr(settings, f'{name}_url')}/ready", timeout=3.0)
            checks[name] = response.status_code == 200
        except httpx.HTTPError:
            checks[name] = False
    return checks


router = health_router(upstreams_ready)
