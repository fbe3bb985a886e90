"""What the gateway checks before any route reads a body: its size per route, and for portal forms
the origin and the session (a signed-out or cross-site POST is refused unread)."""

import re
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitResponder
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from eventing.problems import Problem, problem_response
from gateway.i18n import gettext
from gateway.pages.common import render
from gateway.pages.errors import wants_page
from gateway.security import CSRF_FIELD

KIB = 1024
MIB = 1024 * KIB
# Room for the multipart boundary and part headers (and the CSRF field) around the file itself.
UPLOAD_OVERHEAD = 64 * KIB
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOADS = (
    re.compile(r"^/drafts/[^/]+/document/pages$"),  # the portal's upload form
    re.compile(r"^/api/drafts/[^/]+/pages$"),  # intake's upload, through the API door
    re.compile(r"^/bulk(/send)?$"),  # the portal's bulk CSV (and the mapping form carrying it)
    re.compile(r"^/api/batches$"),  # intake's bulk requests (a CSV or a JSON batch)
)
# Not portal forms: the API door (bearer tokens, no cookie), and the development provider's
# token endpoints (called by authlib or by scripts, authenticated by client secret or not at all).
NOT_FORMS = ("/api/", "/dev/oidc/token", "/dev/token")
# Fetch Metadata: what a browser says about who started the request.
TRUSTED_SITES = frozenset({"same-origin", "none"})


@dataclass(frozen=True)
class BodyLimits:
    """Bytes a body may have: a scan upload, an API JSON body, a portal form."""

    upload: int
    json: int = 256 * KIB
    form: int = 64 * KIB

    def of(self, method: str, path: str) -> int:
        if method == "POST" and any(p.match(path) for p in UPLOADS):
            return self.upload
        return self.json if path.startswith("/api/") else self.form


class BodyBounds:
    """Refuse a body over its route's bound: at once when declared, else as soon as it passes."""

    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        limit = self.limits.of(scope["method"], scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(Request(scope, receive), limit)(scope, receive, send)
            return
        # Starlette's responder counts what is received and raises a 413 the app answers.
        await RequestBodyLimitResponder(self.app, limit)(scope, receive, send)

    @staticmethod
    def _too_large(request: Request, limit: int) -> Response:
        """A page in the user's language naming the bound (the API: a problem)."""
        if not wants_page(request):
            problem = Problem(413, "request.too_large", "The body is too large.", max_bytes=limit)
            return problem_response(problem, request)
        message = gettext("What you sent is larger than %(mb)s MB.") % {"mb": limit // MIB}
        page = render(request, "error.html", status=413, message=message)
        page.headers["Connection"] = "close"  # the rest of the body is never read
        return page


class FormGuard:
    """A portal POST from another site, or without a session holding a CSRF token, is refused
    before its body is read; the token itself is compared once the (bounded) form is parsed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in UNSAFE
            or scope["path"].startswith(NOT_FORMS)
        ):
            await self.app(scope, receive, send)
            return
        if not same_site(Headers(scope=scope)) or not scope.get("session", {}).get(CSRF_FIELD):
            await expired_form(Request(scope, receive))(scope, receive, send)
            return
        await self.app(scope, receive, send)


def same_site(headers: Headers) -> bool:
    """Fetch Metadata when the browser sends it, else the Origin against our own Host."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in TRUSTED_SITES
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site form: those always carry one of the two
    return origin.partition("://")[2] == headers.get("host", "")


def expired_form(request: Request):
    return render(
        request,
        "error.html",
        status=403,
        message=gettext("This form has expired. Go back, reload the page and try again."),
    )
