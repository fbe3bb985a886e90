"""The start page and the development sign-in."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from eventing.problems import Problem
from gateway.devidp import ROLES

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def start(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "start.html",
                                      {"dev_idp": request.app.state.devidp is not None, "roles": ROLES})


class TokenRequest(BaseModel):
    employer_id: str | None = Field(default=None, pattern=r"^\d{10}$")
    user: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str | None = Field(default=None, max_length=200)
    roles: list[str] = Field(default_factory=lambda: ["requester"], min_length=1)


@router.post("/dev/token", tags=["development only"])
async def dev_token(body: TokenRequest, request: Request) -> JSONResponse:
    """DEVELOPMENT ONLY: a signed token for any employer, user and role."""
    return JSONResponse({"access_token": _mint(request, body), "token_type": "Bearer"},
                        headers={"Cache-Control": "no-store"})


@router.post("/dev/login", response_class=HTMLResponse, include_in_schema=False)
async def dev_login(request: Request, employer_id: Annotated[str, Form()],
                    user: Annotated[str, Form()], role: Annotated[str, Form()]) -> HTMLResponse:
    token = _mint(request, TokenRequest(employer_id=employer_id or None, user=user, roles=[role]))
    return templates.TemplateResponse(request, "token.html", {"token": token},
                                      headers={"Cache-Control": "no-store"})


def _mint(request: Request, body: TokenRequest) -> str:
    idp = request.app.state.devidp
    if idp is None:
        raise Problem(404, "not_found", "The development identity provider is off.")
    employer = None if body.roles == ["agent"] else body.employer_id
    if employer is None and body.roles != ["agent"]:
        raise Problem(422, "validation.failed", "An employer is required for this role.",
                      errors=[{"field": "employer_id", "code": "validation.missing"}])
    try:
        return idp.mint(subject=body.user, name=body.name, employer_id=employer, roles=body.roles)
    except ValueError as exc:
        raise Problem(422, "validation.failed", "Unknown role.",
                      errors=[{"field": "roles", "code": "validation.unknown_role"}]) from exc
