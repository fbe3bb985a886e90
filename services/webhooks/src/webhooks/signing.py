"""Endpoint secrets (made, encrypted at rest) and Standard Webhooks signatures."""

import base64
import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


def new_secret() -> str:
    """32 random bytes, base64, behind the `whsec_` prefix the specification names."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class SecretBox:
    """Encrypts secrets with the first key; decrypts with any, so keys can be rotated."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()


def body_of(payload: dict[str, Any]) -> str:
    """The exact bytes sent and signed: compact JSON, keys in a stable order."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def signed_headers(
    *, webhook_id: str, body: str, secrets_in_use: Sequence[str], now: datetime | None = None
) -> dict[str, str]:
    """webhook-id, webhook-timestamp and one `v1,…` signature per secret (two during a rotation)."""
    # Whole seconds: the header carries integer seconds, and the signature must cover the same.
    timestamp = datetime.fromtimestamp(int((now or datetime.now(UTC)).timestamp()), UTC)
    signatures = [
        Webhook(secret).sign(msg_id=webhook_id, timestamp=timestamp, data=body)
        for secret in secrets_in_use
    ]
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
    }
