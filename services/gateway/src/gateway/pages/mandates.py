"""A social secretariat or service provider picks the employer it acts for, among its mandates.

The choice lives in the session; every call to the services then names it (X-Idpro-Employer),
and each service checks it against the token's mandates: the portal grants nothing itself.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from gateway.i18n import gettext
from gateway.pages.common import Csrf, Employer, PageError, render

router = APIRouter()


@router.get("/employer", response_class=HTMLResponse)
async def choose(request: Request, user: Employer) -> HTMLResponse:
    """The user's own enterprise and every employer that mandated it."""
    return render(request, "employer.html", own=user.own_employer_id, mandates=user.mandates)


@router.post("/employer", dependencies=[Csrf])
async def act_for(
    request: Request, user: Employer, employer_id: Annotated[str, Form(max_length=20)]
) -> RedirectResponse:
    if employer_id not in (user.own_employer_id, *user.mandates):
        raise PageError(403, gettext("This employer has not mandated you."))
    if employer_id == user.own_employer_id:
        request.session.pop("acting_for", None)
    else:
        request.session["acting_for"] = employer_id
    request.session["drafts"] = []  # drafts belong to the employer they were started for
    return RedirectResponse("/dashboard", status_code=303)
