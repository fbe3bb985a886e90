"""The start page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.pages.common import current_user, render

router = APIRouter()


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> RedirectResponse:
    """Browsers ask for /favicon.ico whatever the page says: the icon is the static SVG."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    """Signed in: straight to the dashboard (or the review queue); otherwise the sign-in."""
    user = current_user(request)
    if user is not None:
        return RedirectResponse("/dashboard" if user.is_employer else "/review", status_code=303)
    return render(request, "start.html")
