"""One OpenAPI document for API clients: the services' own documents, under /api."""

import time
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.pages.common import render
from gateway.parts import HTTP, OPENAPI_CACHE, ROUTES, SETTINGS

router = APIRouter(include_in_schema=False)
CACHE_S = 60.0
METHODS = ("get", "post", "put", "patch", "delete")


def merge(documents: dict[str, dict], routes: dict[str, str], urls: dict[str, str]) -> dict:
    """Each service's paths that the gateway forwards, prefixed with /api; schemas merged."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for service, document in documents.items():
        for path, item in document.get("paths", {}).items():
            segment = path.strip("/").split("/", 1)[0]
            if routes.get(segment) == urls[service]:
                paths[f"/api{path}"] = item
        schemas |= document.get("components", {}).get("schemas", {})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "idpro API",
            "version": "1",
            "description": "Every route takes `Authorization: Bearer <access token>`. "
            "Rate limits per user and per employer answer 429 + Retry-After.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearer": []}],
    }


async def aggregated(request: Request) -> dict:
    cache = OPENAPI_CACHE.of(request)
    if cache and cache[0] > time.monotonic():
        return cache[1]
    settings = SETTINGS.of(request)
    urls = {
        name: getattr(settings, f"{name}_url")
        for name in ("intake", "matching", "notifier", "history", "webhooks")
    }
    documents = {}
    for name, url in urls.items():
        try:
            response = await HTTP.of(request).get(f"{url}/openapi.json", timeout=5.0)
            if response.status_code == 200:
                documents[name] = response.json()
        except httpx.HTTPError:
            continue  # a service that is down is left out until the next refresh
    document = merge(documents, ROUTES.of(request), urls)
    cache[:] = [time.monotonic() + CACHE_S, document]
    return document


@router.get("/api/openapi.json")
async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(await aggregated(request), headers={"Cache-Control": "public, max-age=60"})


@router.get("/api/docs", response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    """The operations, readable without JavaScript."""
    document = await aggregated(request)
    operations = [
        (method.upper(), path, item[method].get("summary") or "")
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    ]
    return render(request, "api_docs.html", operations=operations)
