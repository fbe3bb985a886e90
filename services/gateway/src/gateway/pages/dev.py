"""Development only: the SMTP sink's mailbox, and tokens for scripts."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from eventing.problems import Problem
from gateway.i18n import gettext
from gateway.mailbox import get_mail, list_mails
from gateway.pages.common import AnyUser, PageError, render
from gateway.parts import DEV_IDP, SETTINGS

router = APIRouter()


def _folder(request: Request):
    folder = SETTINGS.of(request).mailbox_folder
    if DEV_IDP.of(request) is None or folder is None:
        raise PageError(404, gettext("This page does not exist."))
    return folder


@router.get("/dev/mailbox", response_class=HTMLResponse)
async def mailbox(request: Request, user: AnyUser) -> HTMLResponse:
    """DEVELOPMENT ONLY: every message the SMTP sink received, newest first."""
    return render(request, "mailbox.html", mails=list_mails(_folder(request)))


@router.get("/dev/mailbox/{mail_id}", response_class=HTMLResponse)
async def mail(request: Request, mail_id: str, user: AnyUser) -> HTMLResponse:
    try:
        found = get_mail(_folder(request), mail_id)
    except KeyError:
        raise PageError(404, gettext("This page does not exist.")) from None
    return render(request, "mail.html", mail=found)


class TokenRequest(BaseModel):
    employer_id: str | None = Field(default=None, pattern=r"^\d{10}$")
    user: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str | None = Field(default=None, max_length=200)
    roles: list[str] = Field(default_factory=lambda: ["requester"], min_length=1)


@router.post("/dev/token", tags=["development only"])
async def dev_token(body: TokenRequest, request: Request) -> JSONResponse:
    """DEVELOPMENT ONLY: a signed token for any employer, user and role (for scripts)."""
    idp = DEV_IDP.of(request)
    if idp is None:
        raise Problem(404, "not_found", "The development identity provider is off.")
    employer = None if body.roles == ["agent"] else body.employer_id
    if employer is None and body.roles != ["agent"]:
        raise Problem(
            422,
            "validation.failed",
            "An employer is required for this role.",
            errors=[{"field": "employer_id", "code": "validation.missing"}],
        )
    try:
        token = idp.mint(subject=body.user, name=body.name, employer_id=employer, roles=body.roles)
    except ValueError as exc:
        raise Problem(
            422,
            "validation.failed",
            "Unknown role.",
            errors=[{"field": "roles", "code": "validation.unknown_role"}],
        ) from exc
    return JSONResponse(
        {"access_token": token, "token_type": "Bearer"}, headers={"Cache-Control": "no-store"}
    )
