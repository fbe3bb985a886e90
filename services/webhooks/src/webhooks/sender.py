"""POST one webhook: addresses checked where the socket opens, a bounded exchange, no redirects.

The address check sits in the network backend, so it covers the very address httpcore connects to:
a host name that resolves to a public address when it is registered and to 169.254.169.254 later
(DNS rebinding) is refused at the connection, and TLS still verifies the certificate for the name.
"""

import asyncio
import contextlib
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpcore

from webhooks.domain import UrlRefused, check_address, check_url


@dataclass(frozen=True)
class Answer:
    """What the receiver said: a status code, or the class of what went wrong instead."""

    status_code: int | None
    error: str | None
    duration_ms: int
    retry_after_s: float | None = None


async def resolve(host: str, port: int, *, development: bool) -> list[str]:
    """Every address the name has, each one checked: one private address refuses them all."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UrlRefused("webhooks.url_unresolvable") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        check_address(ipaddress.ip_address(address.split("%")[0]), development=development)
    if not addresses:
        raise UrlRefused("webhooks.url_unresolvable")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that pass the check; everything else is httpcore's own backend."""

    def __init__(self, *, development: bool) -> None:
        self.development = development
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port, development=self.development)
        return await self.inner.connect_tcp(
            addresses[0],
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(self, *args, **kwargs) -> httpcore.AsyncNetworkStream:
        raise UrlRefused("webhooks.url_invalid")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class Sender:
    """One connection pool for every endpoint; each POST bounded by `timeout_s` end to end."""

    def __init__(self, *, timeout_s: float, development: bool, max_connections: int) -> None:
        self.timeout_s, self.development = timeout_s, development
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(),
            max_connections=max_connections,
            keepalive_expiry=30.0,
            network_backend=GuardedBackend(development=development),
        )

    async def close(self) -> None:
        await self.pool.aclose()

    async def post(self, url: str, *, headers: dict[str, str], body: str) -> Answer:
        loop = asyncio.get_running_loop()
        started = loop.time()

        def answer(status: int | None, error: str | None, retry_after: float | None = None):
            return Answer(status, error, int((loop.time() - started) * 1000), retry_after)

        try:
            check_url(
                url, development=self.development
            )  # the rule may be stricter than at creation
            timeouts = dict.fromkeys(("connect", "read", "write", "pool"), self.timeout_s)
            # The receiver's reply body is never read: only its status (and Retry-After) count.
            async with (
                asyncio.timeout(self.timeout_s),
                self.pool.stream(
                    "POST",
                    url,
                    headers=[(k.encode(), v.encode()) for k, v in headers.items()],
                    content=body.encode(),
                    extensions={"timeout": timeouts},
                ) as response,
            ):
                retry_after = retry_after_seconds(response.headers)
                return answer(response.status, None, retry_after)
        except UrlRefused as exc:
            return answer(None, exc.code)
        except (httpcore.TimeoutException, TimeoutError):
            return answer(None, "Timeout")
        except (httpcore.NetworkError, httpcore.ProtocolError, OSError, ssl.SSLError) as exc:
            return answer(None, type(exc).__name__)
        except httpcore.UnsupportedProtocol:
            return answer(None, "webhooks.url_invalid")


def retry_after_seconds(headers: list[tuple[bytes, bytes]]) -> float | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    value = next((v.decode("latin-1") for k, v in headers if k.lower() == b"retry-after"), None)
    if value is None:
        return None
    with contextlib.suppress(ValueError):
        return max(float(value), 0.0)
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return max((parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds(), 0.0)
    return None
