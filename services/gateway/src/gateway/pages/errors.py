"""Errors on portal pages answer as pages, in the user's language; the API door keeps problem+json.

A browser that asks for a page that does not exist, a page it may not see, or meets a fault of
ours, gets an HTML page with a way back, never a JSON body. API clients (/api/*, the token
endpoints) and anything that does not accept HTML keep RFC 9457 problems.
"""

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from eventing.logs import get_logger
from eventing.problems import AnsweringFaults, Problem, problem_response
from gateway.i18n import gettext
from gateway.pages.common import render

log = get_logger("gateway.pages")
_NOT_PAGES = ("/api/", "/dev/oidc/token", "/dev/oidc/jwks", "/dev/token", "/health", "/ready")


def wants_page(request: Request) -> bool:
    """A browser's request for a portal page (not the API door, not a script)."""
    path = request.url.path
    accepts = request.headers.get("accept", "")
    return not path.startswith(_NOT_PAGES) and "text/html" in accepts


def message_for(status: int) -> str:
    if status == 404:
        return gettext("This page does not exist.")
    if status in (401, 403):
        return gettext("This page is not for your account.")
    if status == 405:
        return gettext("This action is not allowed.")
    if status == 413:
        return gettext("What you sent is too large.")
    if status >= 500:
        return gettext("Something went wrong on our side. Try again in a moment.")
    return gettext("This action is not allowed.")


def install_page_errors(app: FastAPI) -> None:
    """HTTP errors (404, 405, …) of page routes as pages; the API's as problems, as before."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_page(request):
            return render(
                request, "error.html", status=exc.status_code, message=message_for(exc.status_code)
            )
        code = {404: "not_found", 405: "method_not_allowed", 413: "request.too_large"}.get(
            exc.status_code, "http_error"
        )
        return problem_response(Problem(exc.status_code, code, str(exc.detail)), request)


class PageFaults(AnsweringFaults):
    """A fault while building a page becomes an error page (added inside eventing's handler)."""

    def takes(self, scope: Scope) -> bool:
        return scope["type"] == "http" and wants_page(Request(scope))

    async def answer(self, exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        log.error("page.unexpected_error", error_class=type(exc).__name__, path=scope["path"])
        page = render(Request(scope, receive), "error.html", status=500, message=message_for(500))
        page.headers["Connection"] = "close"
        await page(scope, receive, send)
