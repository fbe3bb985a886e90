"""The start page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gateway.pages.common import current_user, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    """Signed in: straight to the dashboard (or the review queue); otherwise the sign-in."""
    user = current_user(request)
    if user is not None:
        return RedirectResponse("/dashboard" if user.is_employer else "/review", status_code=303)
    return render(request, "start.html")
