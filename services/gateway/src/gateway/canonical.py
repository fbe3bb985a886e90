"""One name for the portal on a developer's machine: localhost, 127.0.0.1 and [::1] are one host.

Sign-in keeps its state in a cookie, and a cookie set for localhost is not sent to 127.0.0.1: a
browser that starts on one name and is sent back by the identity provider to the other loses
the sign-in. So a page asked for under another loopback name than the configured address is
redirected there first, before any cookie is set. Only loopback names are rewritten, and only
when the configured address is itself a loopback one: behind a proxy that rewrites Host, no
redirect can loop. API clients (/api/*) and probes are answered under any name.
"""

from urllib.parse import urlsplit

from starlette.datastructures import URL, Headers
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_ANY_NAME = ("/api/", "/health", "/ready", "/static/")


class CanonicalLoopbackMiddleware:
    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.host, self.netloc = (parts.hostname or "").lower(), parts.netloc
        self.active = self.host in LOOPBACK

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = self._elsewhere(scope) if self.active and scope["type"] == "http" else None
        if target is None:
            await self.app(scope, receive, send)
            return
        await RedirectResponse(target, status_code=307)(scope, receive, send)

    def _elsewhere(self, scope: Scope) -> str | None:
        """The same page under the configured name, when asked for under another loopback one."""
        if scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(_ANY_NAME):
            return None
        asked = urlsplit(f"//{Headers(scope=scope).get('host', '')}").hostname or ""
        if asked.lower() not in LOOPBACK or asked.lower() == self.host:
            return None
        return str(URL(scope=scope).replace(netloc=self.netloc))
