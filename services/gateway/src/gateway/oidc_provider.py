"""A minimal OpenID Connect provider for development: anyone may sign in as anyone.

DEVELOPMENT ONLY (GATEWAY_DEV_IDP_ENABLED=true). Discovery, an authorize page where one picks an
employer, a user and a role, a token endpoint (code + PKCE) and the JWKS. Codes live in memory.
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from eventing.problems import Problem
from gateway.devidp import BACK_OFFICE, ROLES, DevIdentityProvider
from gateway.pages.common import Csrf, render
from gateway.parts import DEV_IDP, SETTINGS
from gateway.security import FORM_LIMITS

router = APIRouter(prefix="/dev/oidc", tags=["development only"], include_in_schema=False)
CODE_TTL_S = 60


def _idp(request: Request) -> DevIdentityProvider:
    idp = DEV_IDP.of(request)
    if idp is None or not SETTINGS.of(request).embedded_oidc:
        raise Problem(404, "not_found", "The development identity provider is off.")
    return idp


@router.get("/.well-known/openid-configuration")
async def discovery(request: Request) -> JSONResponse:
    _idp(request)
    issuer = SETTINGS.of(request).issuer_url
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": ["sub", "name", "employer_id", "roles"],
        }
    )


@router.get("/jwks")
async def jwks(request: Request) -> JSONResponse:
    return JSONResponse(_idp(request).jwks())


def _check_client(request: Request, client_id: str, redirect_uri: str) -> None:
    settings = SETTINGS.of(request)
    if client_id != settings.oidc_client_id or redirect_uri != f"{settings.base_url}/auth/callback":
        raise Problem(400, "oidc.invalid_client", "Unknown client or redirect URI.")


@router.get("/authorize", response_class=HTMLResponse)
async def authorize_page(
    request: Request,
    client_id: str,
    redirect_uri: str,
    state: str,
    response_type: str = "code",
    nonce: str | None = None,
    code_challenge: str | None = None,
) -> HTMLResponse:
    """Pick who to be: the development substitute for a real login page."""
    _idp(request)
    _check_client(request, client_id, redirect_uri)
    if response_type != "code" or not code_challenge:
        raise Problem(400, "oidc.unsupported", "Only the code flow with PKCE (S256) is supported.")
    return render(
        request,
        "oidc_authorize.html",
        roles=ROLES,
        params={
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce or "",
            "code_challenge": code_challenge,
        },
    )


@router.post("/authorize", dependencies=[Csrf])
async def authorize(
    request: Request,
    client_id: Annotated[str, Form()],
    redirect_uri: Annotated[str, Form()],
    state: Annotated[str, Form()],
    code_challenge: Annotated[str, Form()],
    role: Annotated[str, Form()],
    user: Annotated[str, Form(pattern=r"^[A-Za-z0-9._@-]{1,100}$")],
    name: Annotated[str, Form(max_length=200)] = "",
    employer_id: Annotated[str, Form()] = "",
    mandates: Annotated[str, Form(max_length=2000)] = "",
    nonce: Annotated[str, Form()] = "",
) -> RedirectResponse:
    idp = _idp(request)
    _check_client(request, client_id, redirect_uri)
    if role not in ROLES or (
        role not in BACK_OFFICE and not (employer_id.isdigit() and len(employer_id) == 10)
    ):
        raise Problem(422, "validation.failed", "Choose a role and a 10-digit enterprise number.")
    code = secrets.token_urlsafe(32)
    idp.codes = {k: v for k, v in idp.codes.items() if v["expires"] > time.time()}
    idp.codes[code] = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "nonce": nonce,
        "challenge": code_challenge,
        "expires": time.time() + CODE_TTL_S,
        "subject": user,
        "name": name or user,
        "roles": [role],
        "employer_id": None if role in BACK_OFFICE else employer_id,
        # A social secretariat: the employers that mandated it, 10-digit numbers in any separation.
        "mandates": [] if role in BACK_OFFICE else re.findall(r"\b\d{10}\b", mandates),
    }
    return RedirectResponse(
        f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=303
    )


def _client_credentials(request: Request, form) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id, secret
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))


def _pkce_ok(verifier: str, challenge: str) -> bool:
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return hmac.compare_digest(digest.decode(), challenge)


@router.post("/token")
async def token(request: Request) -> JSONResponse:
    """Code → id_token (for the portal) + access_token (for the services), both RS256."""
    idp, form = _idp(request), await request.form(**FORM_LIMITS)
    client_id, secret = _client_credentials(request, form)
    settings = SETTINGS.of(request)
    grant = idp.codes.pop(str(form.get("code", "")), None)
    if (
        client_id != settings.oidc_client_id
        or not hmac.compare_digest(secret, settings.client_secret)
        or grant is None
        or grant["expires"] < time.time()
        or grant["redirect_uri"] != form.get("redirect_uri")
        or not _pkce_ok(str(form.get("code_verifier", "")), grant["challenge"])
    ):
        return JSONResponse({"error": "invalid_grant"}, status_code=400)
    who = {k: grant[k] for k in ("name", "employer_id", "roles")}
    mandated = {"mandates": grant["mandates"]} if grant.get("mandates") else {}
    access = idp.mint(subject=grant["subject"], **who, extra=mandated)
    id_token = idp.mint(
        subject=grant["subject"],
        **who,
        issuer=settings.issuer_url,
        audience=client_id,
        extra={**mandated, **({"nonce": grant["nonce"]} if grant["nonce"] else {})},
    )
    return JSONResponse(
        {
            "access_token": access,
            "id_token": id_token,
            "token_type": "Bearer",
            "expires_in": idp.ttl_s,
        },
        headers={"Cache-Control": "no-store"},
    )
