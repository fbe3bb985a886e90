"""The portal: server-rendered pages for employers and agents (and development helpers)."""

from fastapi import APIRouter

from gateway.pages import (
    dashboard,
    dev,
    home,
    registry,
    requests,
    review,
    uploads,
    webhooks,
    wizard,
)

router = APIRouter(include_in_schema=False)
for module in (home, dashboard, uploads, wizard, requests, review, registry, webhooks, dev):
    router.include_router(module.router)
