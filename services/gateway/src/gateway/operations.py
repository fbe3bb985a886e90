"""Liveness and readiness."""

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Ready when every upstream service says it is ready."""
    client: httpx.AsyncClient = request.app.state.http
    settings = request.app.state.settings
    checks = {}
    for name in ("intake", "matching", "notifier", "history"):
        try:
            response = await client.get(f"{getattr(settings, f'{name}_url')}/ready", timeout=3.0)
            checks[name] = response.status_code == 200
        except httpx.HTTPError:
            checks[name] = False
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503
    )
