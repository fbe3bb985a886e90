"""gateway's composition root: the web door for people and API clients."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import AsyncEngine

from eventing import tracing
from eventing.auth import VERIFIER, TokenVerifier
from eventing.correlation import CorrelationMiddleware
from eventing.db import make_engine
from eventing.logs import configure_logging, get_logger
from eventing.metrics import HttpMetrics, MetricsPort
from eventing.parts import provide
from eventing.problems import install_problem_handlers
from eventing.workers import BackgroundLoop, Workers
from gateway import apidocs, oidc_provider, operations, pages, parts, pdf, proxy, signin
from gateway.canonical import CanonicalLoopbackMiddleware
from gateway.config import GatewaySettings
from gateway.devidp import DevIdentityProvider
from gateway.edge import UPLOAD_OVERHEAD, BodyBounds, BodyLimits, FormGuard
from gateway.i18n import LanguageMiddleware
from gateway.pages.common import PageError, SignInRequired, render, token_cipher
from gateway.pages.errors import PageFaults, install_page_errors
from gateway.ratelimit import Limit, RateLimiter
from gateway.security import FORM_LIMITS, SecurityHeadersMiddleware
from gateway.sessions import ServerSessionMiddleware, SessionStore
from gateway.throttle import PortalThrottle

log = get_logger("gateway.app")
SWEEP_INTERVAL_S = 300


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    tracing.configure("gateway")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging("gateway", settings.log_level)
        metrics = MetricsPort(settings.metrics_port, host=settings.http_host)
        if settings.metrics_port is not None:
            metrics.start()
        await workers.start()
        # The PDF's font instances take seconds to make: made now, off the event loop.
        fonts = asyncio.create_task(asyncio.to_thread(pdf.warm_up))
        try:
            waits = httpx.AsyncClient(
                timeout=httpx.Timeout(settings.upstream_timeout_s, pool=0.5),
                limits=httpx.Limits(max_connections=settings.max_waiting),
            )
            async with httpx.AsyncClient(timeout=settings.upstream_timeout_s) as client, waits:
                provide(app, {parts.HTTP: client, parts.WAITS: waits})
                yield
        finally:
            await workers.stop()
            await asyncio.gather(fonts, return_exceptions=True)
            await engine.dispose()
            metrics.stop()
            tracing.flush()

    app = FastAPI(
        title="idpro gateway",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Routes with Form() parameters are parsed by FastAPI before any dependency runs.
        form_limits=FORM_LIMITS,
    )
    secret = settings.session_key()  # random per process for the development provider alone
    engine = make_engine(settings.database_url.get_secret_value(), pool_size=settings.db_pool_size)
    tracing.instrument_engine(engine)
    store, limiter = _stores(engine, settings)
    workers = Workers(Sweeper(store, limiter, interval_s=SWEEP_INTERVAL_S))
    _provide(app, settings, secret, store=store, limiter=limiter)
    provide(app, {parts.WORKERS: workers})
    # Innermost: a fault while building a page becomes a page (eventing's handler, outside it,
    # keeps answering the API door with problem+json).
    app.add_middleware(PageFaults)
    install_problem_handlers(app)
    install_page_errors(app)
    _page_errors(app)
    for router in (
        operations.router,
        signin.router,
        oidc_provider.router,
        apidocs.router,
        pages.router,
        proxy.router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # Innermost first: the form guard and the throttle read the session and render in the
    # user's language.
    app.add_middleware(FormGuard)
    app.add_middleware(PortalThrottle, limiter=limiter)
    # Inside the session and the language: a page POST over its bound gets a page in its words.
    app.add_middleware(
        BodyBounds, limits=BodyLimits(upload=settings.intake_max_upload_bytes + UPLOAD_OVERHEAD)
    )
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(ServerSessionMiddleware, store=store, secure=settings.cookie_secure)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.cookie_secure)
    # Outermost: a page asked for under another loopback name moves before any cookie is set.
    app.add_middleware(CanonicalLoopbackMiddleware, base_url=settings.base_url)
    app.add_middleware(CorrelationMiddleware)
    # Counted here, scraped on GATEWAY_METRICS_PORT: the public port has no /metrics.
    app.add_middleware(HttpMetrics)
    tracing.instrument_app(app)
    return app


def _provide(
    app: FastAPI,
    settings: GatewaySettings,
    secret: str,
    *,
    store: SessionStore,
    limiter: RateLimiter,
) -> None:
    """Everything the routes, pages and middlewares take (gateway.parts) but the HTTP clients,
    which the lifespan makes."""
    verifier = TokenVerifier(
        settings.public_key(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        # Its tokens die with the development provider: turned off, none is accepted any more.
        accept_development=settings.dev_idp_enabled,
    )
    # The embedded provider is the gateway itself: authlib reaches it in process, not over TCP.
    transport = httpx.ASGITransport(app=app) if settings.embedded_oidc else None
    provide(
        app,
        {
            VERIFIER: verifier,
            parts.SETTINGS: settings,
            parts.ROUTES: {
                "requests": settings.intake_url,
                "drafts": settings.intake_url,
                "documents": settings.intake_url,
                "batches": settings.intake_url,
                "history": settings.history_url,
                "review": settings.matching_url,
                "registry": settings.matching_url,
                "notifications": settings.notifier_url,
                "webhooks": settings.webhooks_url,
            },
            parts.DEV_IDP: _dev_idp(settings),
            parts.CIPHER: token_cipher(secret),
            parts.OAUTH: signin.oidc_client(settings, transport=transport),
            parts.SESSION_STORE: store,
            parts.LIMITER: limiter,
            parts.OPENAPI_CACHE: [],
        },
    )


def _stores(engine: AsyncEngine, settings: GatewaySettings) -> tuple[SessionStore, RateLimiter]:
    """Sessions and rate-limit buckets, in the database every replica shares."""
    store = SessionStore(engine, signed_in_ttl=timedelta(seconds=settings.session_max_age_s))
    limiter = RateLimiter(
        engine,
        limits={
            "user": Limit(settings.rate_user_per_minute, settings.rate_user_burst),
            "employer": Limit(settings.rate_employer_per_minute, settings.rate_employer_burst),
            "signin": Limit(settings.rate_signin_per_minute, settings.rate_signin_burst),
            "page": Limit(settings.rate_page_per_minute, settings.rate_page_burst),
        },
    )
    return store, limiter


class Sweeper(BackgroundLoop):
    """Deletes expired sessions and idle buckets now and then; a failure backs off and retries."""

    def __init__(self, store: SessionStore, limiter: RateLimiter, *, interval_s: float) -> None:
        super().__init__("sweeper", interval_s=interval_s)
        self.store, self.limiter = store, limiter

    async def step(self) -> bool:
        await self.store.sweep()
        await self.limiter.sweep()
        return False


def _dev_idp(settings: GatewaySettings) -> DevIdentityProvider | None:
    if not settings.dev_idp_enabled:
        return None
    if settings.dev_idp_private_key_file is None:
        raise ValueError("GATEWAY_DEV_IDP_PRIVATE_KEY_FILE is required with the development IdP")
    return DevIdentityProvider(
        settings.dev_idp_private_key_file.read_text(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl_s=settings.dev_token_ttl_s,
    )


def _page_errors(app: FastAPI) -> None:
    """Portal pages answer in HTML: a sign-in redirect, or an error page in the user's language."""

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> HTMLResponse:
        return render(request, "error.html", status=exc.status, message=exc.message)
