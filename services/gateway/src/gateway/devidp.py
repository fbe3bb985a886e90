"""A development identity provider: signs real RS256 tokens for a chosen employer, user and role.

FOR DEVELOPMENT ONLY. It authenticates nobody; production uses the operator's OIDC provider.
"""

import argparse
import hashlib
import sys
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ROLES = ("requester", "admin", "agent", "manager")
BACK_OFFICE = frozenset({"agent", "manager"})  # held without an employer


def generate_keypair(folder: Path) -> tuple[Path, Path]:
    """Write dev-idp.pem (private) and dev-idp.pub.pem once; reuse them afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "dev-idp.pem", folder / "dev-idp.pub.pem"
    if not private.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private.chmod(0o600)
        public.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return private, public


class DevIdentityProvider:
    def __init__(self, private_key_pem: str, *, issuer: str, audience: str, ttl_s: int) -> None:
        self.private_key, self.issuer, self.audience, self.ttl_s = (
            private_key_pem,
            issuer,
            audience,
            ttl_s,
        )
        # Authorization codes of the development OIDC provider: one replica, a minute, single use.
        self.codes: dict[str, dict] = {}

    @property
    def key_id(self) -> str:
        """The `kid` of every token and of the JWKS entry: a digest of the public key."""
        public = serialization.load_pem_private_key(self.private_key.encode(), None).public_key()
        der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return hashlib.sha256(der).hexdigest()[:16]

    def jwks(self) -> dict:
        """The public key as a JSON Web Key Set."""
        public = serialization.load_pem_private_key(self.private_key.encode(), None).public_key()
        key = RSAAlgorithm.to_jwk(public, as_dict=True)
        return {"keys": [{**key, "use": "sig", "alg": "RS256", "kid": self.key_id}]}

    def mint(
        self,
        *,
        subject: str,
        name: str | None,
        employer_id: str | None,
        roles: list[str],
        issuer: str | None = None,
        audience: str | None = None,
        extra: dict | None = None,
    ) -> str:
        """A signed token with the claims every service reads (an id_token: another iss/aud)."""
        unknown = set(roles) - set(ROLES)
        if unknown or not roles:
            raise ValueError(f"roles must be among {ROLES}")
        now = int(time.time())
        claims = {
            "iss": issuer or self.issuer,
            "aud": audience or self.audience,
            "sub": subject,
            "name": name or subject,
            "roles": roles,
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl_s,
            "jti": str(uuid.uuid4()),
            "dev_only": True,
            **(extra or {}),
        }
        if employer_id:
            claims["employer_id"] = employer_id
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.key_id})


def main(argv: list[str] | None = None) -> None:
    """`idpro-token --employer 0123456789 --user alice --role requester`."""
    parser = argparse.ArgumentParser(description="Mint a development token (development only).")
    parser.add_argument("--key", type=Path, default=Path(".devstack/keys/dev-idp.pem"))
    parser.add_argument("--employer", default="0403170701")
    parser.add_argument("--user", default="requester-1")
    parser.add_argument("--name", default=None)
    parser.add_argument("--role", action="append", choices=ROLES)
    parser.add_argument("--issuer", default="idpro-dev-idp")
    parser.add_argument("--audience", default="idpro")
    parser.add_argument("--ttl", type=int, default=8 * 3600)
    args = parser.parse_args(argv)
    if not args.key.exists():
        sys.exit(f"{args.key} not found: run `make up` once to create the development keys")
    idp = DevIdentityProvider(
        args.key.read_text(), issuer=args.issuer, audience=args.audience, ttl_s=args.ttl
    )
    roles = args.role or ["requester"]
    employer = None if set(roles) <= BACK_OFFICE else args.employer
    print(idp.mint(subject=args.user, name=args.name, employer_id=employer, roles=roles))


if __name__ == "__main__":
    main()
