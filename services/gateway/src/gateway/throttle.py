"""Rate limits on sign-in and on portal pages (the API door takes its own in `proxy`)."""

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from eventing.problems import Problem
from gateway.i18n import gettext
from gateway.pages.common import render
from gateway.ratelimit import RateLimiter

# Where a browser signs in: limited per client address, before anyone is known.
SIGN_IN = ("/login", "/auth/callback", "/dev/oidc/authorize")
# Not pages: the API door (limited per user and employer), static files, probes.
NOT_PAGES = ("/api/", "/static/", "/health", "/ready", "/dev/oidc/token")


class PortalThrottle:
    """Sign-in per client address; every other page per signed-in user (or address)."""

    def __init__(self, app: ASGIApp, *, limiter: RateLimiter) -> None:
        self.app, self.limiter = app, limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else "/api/"
        if path.startswith(NOT_PAGES) and path != "/api/docs":
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown",))[0]
        user = (scope.get("session", {}).get("user") or {}).get("sub")
        try:
            if path.startswith(SIGN_IN):
                await self.limiter.take(signin=address)
            else:
                await self.limiter.take(page=f"user:{user}" if user else f"address:{address}")
        except Problem as refused:
            page = render(
                Request(scope, receive),
                "error.html",
                status=429,
                message=gettext("Too many requests; wait a moment and try again."),
            )
            page.headers.update(refused.headers)
            await page(scope, receive, send)
            return
        await self.app(scope, receive, send)
