"""What the gateway's composition root (gateway.app) gives its routes, pages and middlewares:
each a Part (eventing.parts), read by name and type instead of through app.state."""

import httpx
from authlib.integrations.starlette_client import OAuth
from cryptography.fernet import Fernet

from eventing.parts import Part
from eventing.workers import Workers
from gateway.config import GatewaySettings
from gateway.devidp import DevIdentityProvider
from gateway.ratelimit import RateLimiter
from gateway.sessions import SessionStore

SETTINGS: Part[GatewaySettings] = Part("gateway settings")
# The first segment of /api/<segment>/… → the URL of the service that owns it.
ROUTES: Part[dict[str, str]] = Part("API routes")
# None unless the development identity provider is on.
DEV_IDP: Part[DevIdentityProvider | None] = Part("development identity provider")
# Encrypts the access token kept in the server-side session.
CIPHER: Part[Fernet] = Part("token cipher")
OAUTH: Part[OAuth] = Part("OpenID Connect client")
SESSION_STORE: Part[SessionStore] = Part("session store")
LIMITER: Part[RateLimiter] = Part("rate limiter")
# Calls to the services; long polls take the waiting pool's connections (WAITS), so that waiting
# clients never crowd out other calls. Both are made in the lifespan.
HTTP: Part[httpx.AsyncClient] = Part("upstream client")
WAITS: Part[httpx.AsyncClient] = Part("long-poll client")
# The merged OpenAPI document of the services and when it goes stale (gateway.apidocs).
OPENAPI_CACHE: Part[list] = Part("OpenAPI cache")
# The gateway's background loops (the session and bucket sweeper), shown on /ready.
WORKERS: Part[Workers] = Part("gateway workers")
