"""The portal: server-rendered pages for employers and agents (and development helpers)."""

from fastapi import APIRouter

from gateway.pages import (
    bulk,
    dashboard,
    dev,
    figures,
    home,
    mandates,
    registry,
    requests,
    review,
    uploads,
    webhooks,
    wizard,
)

router = APIRouter(include_in_schema=False)
# figures before review: /review/metrics is not a case id.
PAGES = (
    home,
    dashboard,
    uploads,
    wizard,
    requests,
    figures,
    review,
    registry,
    webhooks,
    bulk,
    mandates,
    dev,
)
for module in PAGES:
    router.include_router(module.router)
