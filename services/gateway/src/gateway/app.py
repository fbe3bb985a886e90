"""gateway's composition root: the web door for people and API clients."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from eventing.auth import TokenVerifier
from eventing.logs import configure_logging
from eventing.problems import install_problem_handlers
from gateway import pages, proxy
from gateway.config import GatewaySettings
from gateway.devidp import DevIdentityProvider


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("gateway", settings.log_level)
        async with httpx.AsyncClient(timeout=settings.upstream_timeout_s) as client:
            app.state.http = client
            yield

    app = FastAPI(title="idpro gateway", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.verifier = TokenVerifier(settings.public_key(), issuer=settings.jwt_issuer,
                                       audience=settings.jwt_audience)
    app.state.routes = {
        "requests": settings.intake_url, "drafts": settings.intake_url,
        "documents": settings.intake_url, "history": settings.history_url,
        "review": settings.matching_url, "registry": settings.matching_url,
        "notifications": settings.notifier_url,
    }
    app.state.devidp = _dev_idp(settings)
    install_problem_handlers(app)
    app.include_router(health_router())
    app.include_router(pages.router)
    app.include_router(proxy.router)
    return app


def _dev_idp(settings: GatewaySettings) -> DevIdentityProvider | None:
    if not settings.dev_idp_enabled:
        return None
    if settings.dev_idp_private_key_file is None:
        raise ValueError("GATEWAY_DEV_IDP_PRIVATE_KEY_FILE is required with the development IdP")
    return DevIdentityProvider(settings.dev_idp_private_key_file.read_text(),
                               issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                               ttl_s=settings.dev_token_ttl_s)


def health_router():
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
        checks = {}
        for name, base in {"intake": request.app.state.settings.intake_url,
                           "matching": request.app.state.settings.matching_url,
                           "notifier": request.app.state.settings.notifier_url,
                           "history": request.app.state.settings.history_url}.items():
            try:
                checks[name] = (await client.get(f"{base}/ready", timeout=3.0)).status_code == 200
            except httpx.HTTPError:
                checks[name] = False
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not_ready", "checks": checks},
                            status_code=200 if ok else 503)

    return router
