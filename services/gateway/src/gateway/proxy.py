"""`/api/*`: forward to the owning service with the caller's token.

The request body streams up; the answer is read whole before a byte of it goes down (up to
`upstream_buffer_bytes`), so an upstream that fails half-way through its answer becomes a 502
problem instead of a truncated body the client might take for a complete one. Only an answer
larger than the buffer (none of the services' today) streams on after it.
"""

from collections.abc import AsyncIterator

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from eventing import correlation
from eventing.auth import current_principal
from eventing.problems import Problem
from gateway.parts import HTTP, LIMITER, ROUTES, SETTINGS, WAITS

FORWARDED_REQUEST_HEADERS = (
    "authorization",
    "content-type",
    "content-length",
    "idempotency-key",
    "x-idpro-employer",  # the mandating employer a secretariat acts for (eventing.auth)
    "accept",
    "accept-language",
)
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "content-disposition",
    "cache-control",
    "retry-after",
    "idempotent-replayed",
    "x-content-type-options",
    "etag",
)

router = APIRouter(tags=["api"])


def upstream_for(path: str, routes: dict[str, str]) -> str:
    """The service that owns the first path segment (requests → intake, history → history …)."""
    segment = path.split("/", 1)[0]
    if segment not in routes:
        raise Problem(404, "not_found", "No such API.")
    return routes[segment]


@router.api_route(
    "/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def forward(path: str, request: Request) -> Response:
    # Refuse a bad token and a caller over its limits here, before it costs an upstream call.
    principal = current_principal(request)
    await LIMITER.of(request).take(user=principal.subject, employer=principal.employer_id)
    base = upstream_for(path, ROUTES.of(request))
    # A long poll (GET …?wait=) holds its connection: it takes one of the waiting pool's.
    waiting = request.method == "GET" and "wait" in request.query_params
    client = (WAITS if waiting else HTTP).of(request)
    headers = {k: v for k, v in request.headers.items() if k in FORWARDED_REQUEST_HEADERS}
    # The ids the gateway accepted or made (eventing.correlation), so that every log line agrees.
    headers |= correlation.forwarded()
    # The path as the client encoded it: decoded, a control character made httpx refuse the URL.
    raw_path = (request.scope.get("raw_path") or request.url.path.encode()).split(b"?", 1)[0]
    service = httpx.URL(base)
    tail = raw_path.removeprefix(b"/api")
    upstream = client.build_request(
        request.method,
        service.copy_with(raw_path=service.raw_path.rstrip(b"/") + tail),
        params=request.query_params,
        headers=headers,
        content=request.stream(),
    )
    try:
        response = await client.send(upstream, stream=True)
    except httpx.PoolTimeout as exc:
        if not waiting:
            raise Problem(
                502, "upstream_unavailable", "A service is not reachable; try again."
            ) from exc
        raise Problem(
            503,
            "wait.too_many_waiting",
            "Too many clients are waiting; ask again without waiting, or later.",
            headers={"Retry-After": "1"},
        ) from exc
    except httpx.HTTPError as exc:
        raise Problem(
            502, "upstream_unavailable", "A service is not reachable; try again."
        ) from exc
    headers = {k: v for k, v in response.headers.items() if k in FORWARDED_RESPONSE_HEADERS}
    limit = SETTINGS.of(request).upstream_buffer_bytes
    chunks, size, rest = [], 0, response.aiter_raw()
    try:
        async for chunk in rest:
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
        else:
            await response.aclose()
            return Response(b"".join(chunks), status_code=response.status_code, headers=headers)
    except httpx.HTTPError as exc:
        await response.aclose()
        raise Problem(
            502, "upstream_failed", "A service failed while answering; try again."
        ) from exc
    return StreamingResponse(
        _then(chunks, rest),
        status_code=response.status_code,
        headers=headers,
        background=BackgroundTask(response.aclose),
    )


async def _then(first: list[bytes], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in first:
        yield chunk
    async for chunk in rest:
        yield chunk
