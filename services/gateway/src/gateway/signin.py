"""Sign-in through OpenID Connect (authorization code + PKCE), sign-out, the language switch."""

from typing import Annotated

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from eventing.problems import Problem
from gateway.config import GatewaySettings
from gateway.i18n import COOKIE, LANGUAGES, gettext
from gateway.pages.common import Csrf, PageError, current_user, sign_in
from gateway.parts import OAUTH, SETTINGS

router = APIRouter(include_in_schema=False)


def oidc_client(settings: GatewaySettings, *, transport: httpx.AsyncBaseTransport | None) -> OAuth:
    """authlib's client for the provider; the embedded one is called in process (`transport`)."""
    oauth = OAuth()
    kwargs = {
        "scope": settings.oidc_scope,
        "code_challenge_method": "S256",
        "timeout": settings.upstream_timeout_s,
    }
    if transport is not None:
        kwargs["transport"] = transport
    oauth.register(
        "idp",
        client_id=settings.oidc_client_id,
        client_secret=settings.client_secret,
        server_metadata_url=f"{settings.issuer_url}/.well-known/openid-configuration",
        client_kwargs=kwargs,
    )
    return oauth


def safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
async def login(request: Request, next: str | None = None) -> RedirectResponse:  # noqa: A002
    request.session["next"] = safe_next(next)
    redirect_uri = f"{SETTINGS.of(request).base_url}/auth/callback"
    return await OAUTH.of(request).idp.authorize_redirect(request, redirect_uri)


@router.get("/auth/callback")
async def callback(request: Request) -> RedirectResponse:
    """Exchange the code, check the id_token, keep the access token for the services."""
    try:
        token = await OAUTH.of(request).idp.authorize_access_token(request)
    except OAuthError as exc:
        raise PageError(400, gettext("Sign-in failed; please try again.")) from exc
    if not token.get("userinfo") or "access_token" not in token:
        raise PageError(400, gettext("Sign-in failed; please try again."))
    target = safe_next(request.session.get("next"))
    try:
        user = sign_in(request, access_token=token["access_token"])
    except Problem as exc:
        raise PageError(403, gettext("Your account has no role in idpro.")) from exc
    if target == "/":
        target = "/review" if user.is_agent and not user.is_employer else "/dashboard"
        if user.is_back_office and not user.is_agent and not user.is_employer:
            target = "/review/metrics"  # a manager's page
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Csrf])
async def logout(request: Request) -> RedirectResponse:
    """End the session where it is stored: the cookie's id no longer signs anyone in."""
    request.session.end()  # the language stays in its own cookie
    return RedirectResponse("/", status_code=303)


@router.post("/language", dependencies=[Csrf])
async def switch_language(
    request: Request, lang: Annotated[str, Form()], back: Annotated[str | None, Form()] = None
) -> RedirectResponse:
    """Kept in the session and in a cookie (the choice survives signing out)."""
    if lang not in LANGUAGES:
        raise PageError(422, gettext("Unknown language."))
    request.session["lang"] = lang
    response = RedirectResponse(safe_next(back), status_code=303)
    response.set_cookie(
        COOKIE,
        lang,
        max_age=365 * 86400,
        httponly=True,
        samesite="lax",
        secure=SETTINGS.of(request).cookie_secure,
    )
    return response


def signed_in(request: Request) -> bool:
    return current_user(request) is not None
