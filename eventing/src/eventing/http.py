"""A service's HTTP side: the FastAPI app that runs the other parts, and how routes reach them.

Routes never reach into a runtime object. They name what they need as `Annotated` dependencies
over a `Part`, which the composition root fills with `service_app(..., provide_parts={PART: v})`.

A route that is one unit of work takes `Transaction`, the same in every service: begun before the
route, committed when it returns and before the answer goes out, rolled back when it raises.
`Sessions` is for the few routes that must act outside their transaction: decode an upload or
check a URL's DNS before it, wake a worker after its commit, or read again across a long poll.
"""

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eventing import tracing
from eventing.asyncapi import asyncapi_router
from eventing.auth import VERIFIER, TokenVerifier
from eventing.config import ServiceSettings
from eventing.correlation import CorrelationMiddleware
from eventing.database import Database
from eventing.health import Check, health_router
from eventing.logs import configure_logging, get_logger
from eventing.messaging import Messaging
from eventing.metrics import WORKER_WORKING, Probe, Probes, install_metrics
from eventing.parts import SESSIONS, Part, provide
from eventing.problems import install_problem_handlers
from eventing.workers import Workers

log = get_logger("eventing.http")

Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(SESSIONS)]


async def _transaction(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    async with sessions.begin() as tx:  # commit on return, roll back on exception
        yield tx


# Ends with the route function, before the response is sent: an answer never precedes its commit.
Transaction = Annotated[AsyncSession, Depends(_transaction, scope="function")]


def service_app(
    settings: ServiceSettings,
    *,
    database: Database,
    messaging: Messaging,
    workers: Workers,
    title: str,
    routers: Sequence[APIRouter] = (),
    provide_parts: Mapping[Part[Any], Any] | None = None,
    probes: Mapping[str, Probe] | None = None,
    version: str = "0.1.0",
    **fastapi_kwargs,
) -> FastAPI:
    """The app whose lifespan starts messaging then workers (and stops them in reverse), with
    /health, /ready, /metrics, /asyncapi, problem+json and the correlation id."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        await messaging.start()
        await workers.start()
        log.info("service.started")
        try:
            yield
        finally:
            await workers.stop()
            await messaging.stop()
            await database.close()
            tracing.flush()
            log.info("service.stopped")

    if not settings.development:
        # The schema maps every route and field for an attacker: development only.
        fastapi_kwargs = {"docs_url": None, "redoc_url": None, "openapi_url": None} | fastapi_kwargs
    app = FastAPI(title=title, version=version, lifespan=lifespan, **fastapi_kwargs)
    provide(
        app,
        {SESSIONS: database.sessions, VERIFIER: verifier_of(settings), **(provide_parts or {})},
    )
    install_problem_handlers(app)

    async def readiness(request: Request) -> dict[str, Check]:
        checks: dict[str, Check] = {"database": await database.reachable()}
        checks |= await messaging.readiness()
        for name, health in workers.health().items():
            checks[name] = (health.working, health.as_dict())
        return checks

    app.include_router(health_router(readiness, liveness=workers.alive))
    app.add_middleware(CorrelationMiddleware)
    for router in routers:
        app.include_router(router)
    app.include_router(asyncapi_router(lambda: messaging.asyncapi(version=version)))
    install_metrics(app, _probes(database, messaging, workers, probes or {}))
    tracing.instrument_app(app)
    return app


def verifier_of(settings: ServiceSettings) -> TokenVerifier:
    return TokenVerifier(
        settings.jwt_public_key or "",
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        accept_development=settings.development,
    )


def _probes(
    database: Database, messaging: Messaging, workers: Workers, own: Mapping[str, Probe]
) -> Probes:
    """Gauges read at scrape time (cached a few seconds): nothing runs between scrapes."""
    probes = Probes()
    probes.add("plumbing", database.plumbing_probe())
    if (kafka := messaging.kafka_probe()) is not None:
        probes.add("kafka", kafka)

    async def working() -> None:
        """What /ready says of the consumer and every worker, as idpro_worker_working."""
        if messaging.consumer is not None:
            WORKER_WORKING.labels("consumer").set(int(messaging.consumer.health()[0]))
        for name, health in workers.health().items():
            WORKER_WORKING.labels(name).set(int(health.working))

    probes.add("workers", working)
    for name, probe in own.items():
        probes.add(name, probe)
    return probes


__all__ = ["Part", "Sessions", "Transaction", "provide", "service_app"]
