"""Server-side sessions: the cookie carries a random id, the gateway's database holds the rest.

So a session can be ended (sign-out, revocation of a user), is rotated at sign-in (a new id: no
fixation), and every replica reads the same one. `request.session` stays a dict, as authlib and
the pages expect; the middleware loads it before the route and stores it when it changed.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.tables import Session

COOKIE = "idpro_session"
# Paths that never read the session skip the database round trip: the API door (bearer tokens),
# static files, health. The API's readable docs are a portal page.
SESSIONLESS = ("/static/", "/health", "/ready", "/api/")
PAGES_UNDER_API = ("/api/docs",)


def sessionless(path: str) -> bool:
    return path.startswith(SESSIONLESS) and path not in PAGES_UNDER_API


class ServerSession(dict):
    """One request's session; `rotate()` at sign-in, `end()` at sign-out."""

    def __init__(self, data: dict | None = None) -> None:
        super().__init__(data or {})
        self.rotated = self.ended = False

    def rotate(self) -> None:
        """Keep the data under a new id; the old id stops working."""
        self.rotated = True

    def end(self) -> None:
        """Forget everything and delete the stored session."""
        self.clear()
        self.ended = True


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SessionStore:
    """Sessions in the gateway's database; rows are keyed by the SHA-256 of the cookie's id."""

    engine: AsyncEngine
    signed_in_ttl: timedelta
    anonymous_ttl: timedelta = timedelta(hours=1)

    async def load(self, session_id: str) -> dict | None:
        async with self.engine.connect() as conn:
            return await conn.scalar(
                select(Session.data).where(
                    Session.id_hash == _digest(session_id), Session.expires_at > _now()
                )
            )

    async def save(self, session_id: str, data: dict, *, fresh: bool) -> datetime:
        """Store the data; a fresh id (new or rotated) starts its lifetime now. Its expiry."""
        now = _now()
        expires = now + (self.signed_in_ttl if "user" in data else self.anonymous_ttl)
        subject = (data.get("user") or {}).get("sub")
        values = {"data": data, "subject": subject, "expires_at": expires}
        stmt = insert(Session).values(id_hash=_digest(session_id), created_at=now, **values)
        # An anonymous session slides; a signed-in one keeps the end it got at sign-in.
        keep = {"expires_at": stmt.excluded.expires_at} if fresh or not subject else {}
        stmt = stmt.on_conflict_do_update(
            index_elements=[Session.id_hash],
            set_={"data": stmt.excluded.data, "subject": stmt.excluded.subject, **keep},
        ).returning(Session.expires_at)
        async with self.engine.begin() as conn:
            return await conn.scalar(stmt)

    async def delete(self, session_id: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(Session).where(Session.id_hash == _digest(session_id)))

    async def revoke(self, subject: str) -> int:
        """End every session of a user (an administrator's revocation); how many there were."""
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(Session).where(Session.subject == subject))
            return result.rowcount

    async def sweep(self) -> int:
        """Delete expired sessions; how many."""
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(Session).where(Session.expires_at <= _now()))
            return result.rowcount


class ServerSessionMiddleware:
    """Loads `scope["session"]` from the store and writes it back before the response starts."""

    def __init__(self, app: ASGIApp, *, store: SessionStore, secure: bool) -> None:
        self.app, self.store, self.secure = app, store, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if sessionless(scope["path"]):
            scope["session"] = ServerSession()  # never stored
            await self.app(scope, receive, send)
            return
        session_id = HTTPConnection(scope).cookies.get(COOKIE)
        loaded = await self.store.load(session_id) if session_id else None
        session = scope["session"] = ServerSession(loaded)
        before = json.dumps(loaded, sort_keys=True) if loaded else None

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await self._persist(session, session_id if loaded else None, before)
                if cookie is not None:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _persist(self, session: ServerSession, session_id, before) -> str | None:
        """Store what changed; the Set-Cookie header to send, if any."""
        if session.ended or (not session and session_id):
            if session_id:
                await self.store.delete(session_id)
            return self._cookie("", max_age=0)
        if not session:
            return None
        if session.rotated and session_id:
            await self.store.delete(session_id)
        fresh = session.rotated or session_id is None
        if not fresh and json.dumps(dict(session), sort_keys=True) == before:
            return None
        new_id = secrets.token_urlsafe(32) if fresh else session_id
        expires = await self.store.save(new_id, dict(session), fresh=fresh)
        if not fresh:
            return None
        return self._cookie(new_id, max_age=int((expires - _now()).total_seconds()))

    def _cookie(self, value: str, *, max_age: int) -> str:
        secure = "; Secure" if self.secure else ""
        return f"{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
