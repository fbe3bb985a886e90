"""RS256 JWT verification: the employer and roles come from the token, never from the request."""

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request

from contracts.access import may_read
from eventing.problems import Problem

ROLES = frozenset({"requester", "admin", "agent"})


@dataclass(frozen=True)
class Principal:
    subject: str
    name: str | None
    employer_id: str | None
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles


class TokenVerifier:
    def __init__(self, public_key_pem: str, *, issuer: str, audience: str) -> None:
        self.public_key, self.issuer, self.audience = public_key_pem, issuer, audience

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
        claimed = claims.get("roles")
        roles = (
            frozenset(r for r in claimed if r in ROLES)
            if isinstance(claimed, list)
            else frozenset()
        )
        employer = claims.get("employer_id")
        if not roles or (employer is None and roles != {"agent"}):
            raise Problem(403, "auth.no_role", "The token grants no role in idpro.")
        return Principal(claims["sub"], claims.get("name"), employer, roles)


def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "auth.missing_token", "A bearer token is required.")
    verifier: TokenVerifier = request.app.state.verifier
    return verifier.verify(token.strip())


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def employer_of(principal: Principal) -> str:
    """The tenant of an employer-side route; agents and tokens without an employer are refused."""
    if principal.employer_id is None or not may_read(principal.roles):
        raise Problem(403, "auth.employer_role_required", "This route is for employers.")
    return principal.employer_id


def require_agent(principal: CurrentPrincipal) -> Principal:
    if not principal.has("agent"):
        raise Problem(403, "auth.agent_role_required", "This route is for back-office agents.")
    return principal


Agent = Annotated[Principal, Depends(require_agent)]
