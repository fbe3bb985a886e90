"""/health (alive) and /ready (what the service needs works), the same on every service."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

# A check's verdict, or (verdict, details shown beside it: ids, counts and classes only).
Check = bool | tuple[bool, dict[str, Any]]
Readiness = Callable[[Request], Awaitable[dict[str, Check]]]
Liveness = Callable[[], bool]


def health_router(readiness: Readiness, liveness: Liveness = lambda: True) -> APIRouter:
    """Liveness fails only when a background worker died (restart me); readiness runs checks."""
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    async def health() -> JSONResponse:
        alive = liveness()
        return JSONResponse(
            {"status": "ok" if alive else "worker_dead"}, status_code=200 if alive else 503
        )

    @router.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        checks, details = {}, {}
        for name, check in (await readiness(request)).items():
            checks[name], detail = check if isinstance(check, tuple) else (check, None)
            if detail is not None:
                details[name] = detail
        ok = all(checks.values())
        body = {"status": "ready" if ok else "not_ready", "checks": checks}
        if details:
            body["details"] = details
        return JSONResponse(body, status_code=200 if ok else 503)

    return router
