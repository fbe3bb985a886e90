"""RS256 JWT verification: the employer and roles come from the token, never from the request.

A social secretariat or service provider acts for the employers that mandated it: their
enterprise numbers are the token's `mandates` claim, and the one it acts for now is named by the
`X-Idpro-Employer` header. Only a mandating employer may be named (403 otherwise); the principal
then belongs to that employer, and `mandatary_id` keeps the secretariat's own number.
"""

import re
from dataclasses import dataclass, replace
from typing import Annotated

import jwt
from fastapi import Depends, Request

from contracts.access import may_read
from eventing.parts import Part
from eventing.problems import Problem

ROLES = frozenset({"requester", "admin", "agent", "manager"})
# Roles of the back office, held without an employer: agents research cases; managers (of the
# agents) read the back office's figures.
BACK_OFFICE_ROLES = frozenset({"agent", "manager"})
ACTING_FOR = "x-idpro-employer"  # the header naming the mandating employer acted for
MAX_MANDATES = 1000
_ENTERPRISE = re.compile(r"[0-9A-Za-z._-]{1,20}")


@dataclass(frozen=True)
class Principal:
    subject: str
    name: str | None
    employer_id: str | None
    roles: frozenset[str]
    mandates: frozenset[str] = frozenset()
    mandatary_id: str | None = None  # set while acting for a mandating employer

    def has(self, role: str) -> bool:
        return role in self.roles

    def acting_for(self, employer_id: str | None) -> "Principal":
        """This principal on behalf of `employer_id`, one of its mandates (or its own)."""
        if employer_id is None or employer_id == self.employer_id:
            return self
        if employer_id not in self.mandates:
            raise Problem(
                403,
                "auth.no_mandate",
                "This employer has not mandated you.",
                errors=[{"field": ACTING_FOR, "code": "auth.no_mandate"}],
            )
        return replace(self, employer_id=employer_id, mandatary_id=self.employer_id)


class TokenVerifier:
    def __init__(
        self, public_key_pem: str, *, issuer: str, audience: str, accept_development: bool = False
    ) -> None:
        self.public_key, self.issuer, self.audience = public_key_pem, issuer, audience
        # The development identity provider marks its tokens `dev_only`: anywhere else than in
        # development they are refused, even when signed by a key this service trusts.
        self.accept_development = accept_development

    def verify(self, token: str) -> Principal:
        """Check signature, expiry, issuer and audience; refuse anything else."""
        try:
            claims = jwt.decode(
                token,
                self.public_key,
                algorithms=["RS256"],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Problem(401, "auth.invalid_token", "The access token is not valid.") from exc
        _check_claims(claims)
        if claims.get("dev_only") is not None and not (
            self.accept_development and claims["dev_only"] is True
        ):
            raise Problem(
                401,
                "auth.development_token",
                "A token of the development identity provider is not accepted here.",
            )
        roles = frozenset(r for r in claims.get("roles") or [] if r in ROLES)
        employer = claims.get("employer_id")
        if not roles or (employer is None and not roles <= BACK_OFFICE_ROLES):
            raise Problem(403, "auth.no_role", "The token grants no role in idpro.")
        mandates = frozenset(claims.get("mandates") or ()) if employer is not None else frozenset()
        return Principal(claims["sub"], claims.get("name"), employer, roles, mandates)


# A signed token is still input: a claim of another type reached SQL and gave a 500.
_CLAIM_RULES: dict[str, tuple[re.Pattern[str], bool]] = {
    "sub": (re.compile(r"[^\x00-\x1f\x7f]{1,200}"), False),
    "name": (re.compile(r"[^\x00-\x1f\x7f]{0,200}"), True),
    "employer_id": (re.compile(r"[0-9A-Za-z._-]{1,20}"), True),
}


def _check_claims(claims: dict) -> None:
    """401 naming the first claim that is not of its type; values are never echoed."""
    for claim, (pattern, optional) in _CLAIM_RULES.items():
        value = claims.get(claim)
        if value is None and optional:
            continue
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise _invalid_claim(claim)
    roles = claims.get("roles")
    if roles is not None and not (
        isinstance(roles, list) and len(roles) <= 10 and all(isinstance(r, str) for r in roles)
    ):
        raise _invalid_claim("roles")
    mandates = claims.get("mandates")
    if mandates is not None and not (
        isinstance(mandates, list)
        and len(mandates) <= MAX_MANDATES
        and all(isinstance(m, str) and _ENTERPRISE.fullmatch(m) for m in mandates)
    ):
        raise _invalid_claim("mandates")


def _invalid_claim(claim: str) -> Problem:
    return Problem(
        401,
        "auth.invalid_claim",
        "The access token is not valid.",
        errors=[{"field": claim, "code": "auth.invalid_claim"}],
    )


# Provided by the composition root (eventing.http.service_app; the gateway's own).
VERIFIER: Part[TokenVerifier] = Part("token verifier")


def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "auth.missing_token", "A bearer token is required.")
    principal = VERIFIER.of(request).verify(token.strip())
    acting_for = request.headers.get(ACTING_FOR)
    return principal.acting_for(acting_for.strip()) if acting_for else principal


async def _current_principal(request: Request) -> Principal:
    # async: FastAPI runs a plain `def` dependency in a worker thread (a hop per request).
    return current_principal(request)


CurrentPrincipal = Annotated[Principal, Depends(_current_principal)]


def employer_of(principal: Principal) -> str:
    """The tenant of an employer-side route; agents and tokens without an employer are refused."""
    if principal.employer_id is None or not may_read(principal.roles):
        raise Problem(403, "auth.employer_role_required", "This route is for employers.")
    return principal.employer_id


async def require_agent(principal: CurrentPrincipal) -> Principal:
    if not principal.has("agent"):
        raise Problem(403, "auth.agent_role_required", "This route is for back-office agents.")
    return principal


Agent = Annotated[Principal, Depends(require_agent)]


async def require_back_office(principal: CurrentPrincipal) -> Principal:
    if not principal.roles & BACK_OFFICE_ROLES:
        raise Problem(403, "auth.back_office_role_required", "This route is for the back office.")
    return principal


BackOffice = Annotated[Principal, Depends(require_back_office)]
