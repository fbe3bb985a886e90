"""What every portal page shares: templates, the signed-in user, CSRF, errors, upstream calls."""

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import jinja2
from cryptography.fernet import Fernet, InvalidToken
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from contracts import format_ssin
from contracts.access import may_read, may_write
from eventing import correlation
from eventing.auth import ACTING_FOR, VERIFIER
from eventing.problems import Problem
from gateway.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, gettext, ngettext
from gateway.pages.formats import BRUSSELS as BRUSSELS  # re-exported for the webhook pages
from gateway.pages.formats import (
    colon,
    country_name,
    format_birth_date,
    format_day,
    format_when,
    waited,
)
from gateway.pages.labels import label
from gateway.parts import CIPHER, DEV_IDP, HTTP, SETTINGS, WAITS
from gateway.security import CSRF_FIELD, FORM_LIMITS, csrf_token, csrf_valid

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
)
templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.filters |= {
    "ssin": format_ssin,
    "when": format_when,
    "day": format_day,
    "birth": format_birth_date,
    "country": country_name,
    "waited": waited,
}
templates.env.globals |= {
    "label": label,
    "colon": colon,
    "LANGUAGES": LANGUAGES,
    "LANGUAGE_NAMES": LANGUAGE_NAMES,
    "CSRF_FIELD": CSRF_FIELD,
}


@dataclass(frozen=True)
class User:
    subject: str
    name: str
    employer_id: str | None  # the employer acted for now (a mandating one, or the user's own)
    roles: tuple[str, ...]
    # A social secretariat or service provider: its own number and the employers that mandated it.
    own_employer_id: str | None = None
    mandates: tuple[str, ...] = ()

    @property
    def mandatary_id(self) -> str | None:
        """The user's own number while acting for a mandating employer, else None."""
        return self.own_employer_id if self.employer_id != self.own_employer_id else None

    @property
    def is_agent(self) -> bool:
        return "agent" in self.roles

    @property
    def is_back_office(self) -> bool:
        """An agent or a manager of agents: the back office's figures are theirs."""
        return bool({"agent", "manager"} & set(self.roles))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_employer(self) -> bool:
        return self.employer_id is not None and may_read(self.roles)

    def may_write(self, view: dict) -> bool:
        """May cancel or answer this request (intake refuses the others all the same)."""
        return may_write(self.roles, self.subject, requester_id=view.get("requester_id"))


class SignInRequired(Exception):
    """The page needs a signed-in user: send the browser to /login."""


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def token_cipher(secret: str) -> Fernet:
    """The access token is encrypted inside the signed session cookie."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"token:{secret}".encode()).digest()))


def sign_in(request: Request, *, access_token: str) -> User:
    """Verify the token as the services will, and keep it (encrypted) in a fresh session."""
    principal = VERIFIER.of(request).verify(access_token)
    lang = request.session.get("lang")
    request.session.clear()
    request.session.rotate()  # a new session id on sign-in: no fixation
    request.session.update(
        {
            "user": {
                "sub": principal.subject,
                "name": principal.name or principal.subject,
                "employer_id": principal.employer_id,
                "roles": sorted(principal.roles),
                "mandates": sorted(principal.mandates),
            },
            "token": CIPHER.of(request).encrypt(access_token.encode()).decode(),
            **({"lang": lang} if lang else {}),
        }
    )
    csrf_token(request)
    return current_user(request)  # type: ignore[return-value]


def access_token(request: Request) -> str | None:
    sealed = request.session.get("token")
    try:
        return CIPHER.of(request).decrypt(sealed.encode()).decode() if sealed else None
    except InvalidToken:
        return None


def acting_for(request: Request) -> str | None:
    """The mandating employer the user chose to act for (one of the token's mandates), or None."""
    chosen = request.session.get("acting_for")
    mandates = (request.session.get("user") or {}).get("mandates") or ()
    return chosen if chosen in mandates else None


def current_user(request: Request) -> User | None:
    """The signed-in user, or None (an expired token signs the user out)."""
    data, token = request.session.get("user"), access_token(request)
    if not data or not token:
        return None
    try:
        VERIFIER.of(request).verify(token)
    except Problem:
        request.session.pop("user", None)
        request.session.pop("token", None)
        return None
    own, mandates = data.get("employer_id"), tuple(data.get("mandates") or ())
    employer = acting_for(request) or own
    return User(data["sub"], data["name"], employer, tuple(data["roles"]), own, mandates)


async def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise SignInRequired
    return user


async def require_employer(user: Annotated[User, Depends(require_user)]) -> User:
    if not user.is_employer:
        raise PageError(403, gettext("This page is for employers."))
    return user


async def require_agent(user: Annotated[User, Depends(require_user)]) -> User:
    if not user.is_agent:
        raise PageError(403, gettext("This page is for back-office agents."))
    return user


async def require_back_office(user: Annotated[User, Depends(require_user)]) -> User:
    if not user.is_back_office:
        raise PageError(403, gettext("This page is for the back office."))
    return user


async def check_csrf(request: Request) -> None:
    """Every POST of the portal carries the session's token in a hidden field.

    The origin and the session were checked before the body was read (gateway.edge.FormGuard);
    the form is parsed within FORM_LIMITS, and the route reads the same parsed form afterwards.
    """
    await _check_csrf(request, FORM_LIMITS)


async def check_csrf_large(request: Request) -> None:
    """The same check for the one form that carries a whole file in a field (the bulk CSV's
    mapping form, gateway.pages.bulk): its part may be as large as an upload (edge.BodyBounds)."""
    await _check_csrf(request, {**FORM_LIMITS, "max_part_size": LARGE_FORM_PART})


async def _check_csrf(request: Request, limits: dict) -> None:
    form = await request.form(**limits)
    submitted = form.get(CSRF_FIELD)
    if not csrf_valid(request, submitted if isinstance(submitted, str) else None):
        raise PageError(
            403, gettext("This form has expired. Go back, reload the page and try again.")
        )


AnyUser = Annotated[User, Depends(require_user)]
Employer = Annotated[User, Depends(require_employer)]
AgentUser = Annotated[User, Depends(require_agent)]
BackOfficeUser = Annotated[User, Depends(require_back_office)]
Csrf = Depends(check_csrf)
LargeCsrf = Depends(check_csrf_large)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    context |= {
        "user": current_user(request),
        "csrf": csrf_token(request),
        "lang": current_language(),
        "dev": DEV_IDP.of(request) is not None,
    }
    return templates.TemplateResponse(request, template, context, status_code=status)


class Upstream:
    """The services, called server-side with the signed-in user's token and language."""

    def __init__(self, request: Request) -> None:
        self.client, self.waits = HTTP.of(request), WAITS.of(request)
        self.settings = SETTINGS.of(request)
        token = access_token(request)
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": current_language()}
        # The page request's ids, as the API door passes them: the events a page's action
        # stages (RequestSubmitted from the wizard) carry the correlation id of its log lines.
        self.headers |= correlation.forwarded()
        acting = acting_for(request)
        if acting:
            self.headers[ACTING_FOR] = acting  # each service checks it against the token's mandates

    def url(self, service: str, path: str) -> str:
        return f"{getattr(self.settings, f'{service}_url')}{path}"

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        # A long poll holds its connection: one of the waiting pool's (gateway.parts.WAITS).
        client = self.waits if _long_poll(kwargs.get("params")) else self.client
        try:
            response = await client.request(
                method, self.url(service, path), headers=headers, **kwargs
            )
        except httpx.HTTPError as exc:
            raise PageError(502, gettext("A service is not reachable; try again.")) from exc
        if response.status_code >= 500:
            raise PageError(502, gettext("A service is not reachable; try again."))
        return response

    async def json(self, service: str, path: str, **kwargs: Any) -> Any:
        """A GET that must succeed: 404 becomes a 'not found' page."""
        response = await self.call(service, "GET", path, **kwargs)
        if response.status_code == 404:
            raise PageError(404, gettext("This page does not exist."))
        if response.status_code >= 400:
            raise PageError(response.status_code, gettext("This action is not allowed."))
        return response.json()


def _long_poll(params: Any) -> bool:
    """Whether the query asks to wait (params as a dict, or as a list of pairs: the dashboard's)."""
    if isinstance(params, dict):
        return bool(params.get("wait"))
    return any(key == "wait" and value for key, value in params or ())


async def upstream(request: Request) -> Upstream:
    return Upstream(request)


Api = Annotated[Upstream, Depends(upstream)]


LARGE_FORM_PART = 12 * 1024 * 1024
SCAN_TYPES = ("image/jpeg", "image/png", "application/pdf")


async def scan_from_intake(api: Upstream, path: str) -> Response:
    """A scan (or one page of it) from intake, shown inline; never cached, never sniffed."""
    response = await api.call("intake", "GET", path)
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This scan is not available."))
    media_type = response.headers.get("content-type", "application/octet-stream")
    if media_type not in SCAN_TYPES:
        raise PageError(415, gettext("This scan is not available."))
    return Response(
        response.content,
        media_type=media_type,
        headers={
            "Content-Disposition": "inline",
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
