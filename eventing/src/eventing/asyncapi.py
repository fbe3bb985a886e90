"""Each service's AsyncAPI document, made by FastStream from the contracts: what it consumes
(its handlers' topics) and what its relay publishes (its own topics), with the events' schemas.

The running broker has one batch subscriber over raw bytes and the relay publishes with
aiokafka, so neither says what flows: the document is generated from a broker that is never
started, declaring one typed subscriber per consumed event and one publisher per relay topic.
"""

from collections.abc import Callable, Iterable

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi.site import get_asyncapi_html

from contracts import Event


def specification(
    service: str,
    *,
    bootstrap: str,
    consumed: Iterable[type[Event]],
    published: Iterable[type[Event]],
    version: str = "0.1.0",
) -> AsyncAPI:
    docs = KafkaBroker(bootstrap, client_id=service, description=f"idpro {service}'s Kafka")
    for event_type in consumed:
        docs.subscriber(
            event_type.topic,
            group_id=service,
            title=f"{service}:{event_type.__name__}",
            description=_first_line(event_type),
        )(_typed_handler(event_type))
    for event_type in published:
        docs.publisher(
            event_type.topic,
            schema=event_type,
            title=f"{service}:{event_type.__name__}:relay",
            description=f"Published by {service}'s outbox relay. {_first_line(event_type)}",
        )
    return AsyncAPI(
        docs,
        title=f"idpro {service}",
        version=version,
        description=f"The topics {service} consumes (group id {service}) and publishes; the "
        "key of every message is its request id, the headers carry event-id, event-type, "
        "producer and traceparent.",
        schema_version="3.0.0",
    )


def asyncapi_router(make: Callable[[], AsyncAPI]) -> APIRouter:
    """`/asyncapi.json` and `/asyncapi` (the AsyncAPI web component), beside `/docs`."""
    router = APIRouter(tags=["operations"])
    made: list = []

    def built():
        if not made:  # after every handler is registered, once
            made.append(make().to_specification())
        return made[0]

    @router.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json() -> JSONResponse:
        return JSONResponse(built().to_jsonable())

    @router.get("/asyncapi", include_in_schema=False)
    async def asyncapi_page() -> HTMLResponse:
        return HTMLResponse(get_asyncapi_html(built(), try_it_out_path=None))

    return router


def _typed_handler(event_type: type[Event]):
    async def handle(event) -> None:  # documentation only: the broker is never started
        raise NotImplementedError

    handle.__annotations__ = {"event": event_type, "return": None}
    handle.__name__ = f"on_{event_type.__name__}"
    return handle


def _first_line(event_type: type[Event]) -> str:
    """The first paragraph of the event's docstring, on one line."""
    doc = (event_type.__doc__ or event_type.__name__).strip().split("\n\n", 1)[0]
    return " ".join(doc.split())
