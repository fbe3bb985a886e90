"""/health (alive) and /ready (what the service needs is reachable), the same on every service."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

Readiness = Callable[[Request], Awaitable[dict[str, bool]]]


def health_router(readiness: Readiness) -> APIRouter:
    """Liveness answers while the process runs; readiness runs the service's own checks."""
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        checks = await readiness(request)
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not_ready", "checks": checks},
            status_code=200 if ok else 503,
        )

    return router
