"""OpenTelemetry tracing, off unless configured: one trace per request across every service.

On when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (OTLP over HTTP, batched) or `IDPRO_TRACE_FILE`
names a file (one JSON line per span: for tests and for a look without a collector). Off, nothing
is instrumented and every helper here returns at once.

The context travels as W3C `traceparent`: in HTTP headers (FastAPI and httpx instrumentation), in
the outbox row's headers (staged inside the request's span), on Kafka (the relay publishes each
row inside a span whose parent is the row's context; aiokafka's instrumentation injects it) and
into each consumer's handling span.
"""

import json
import os
import threading
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager, nullcontext

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import SpanKind

TRACE_HEADERS = ("traceparent", "tracestate")
# Never traced: probes and scrapes would be most of the spans.
EXCLUDED_URLS = "/health,/ready,/metrics"

_provider: TracerProvider | None = None
_lock = threading.Lock()


def enabled() -> bool:
    return _provider is not None


def configure(service: str, *, exporter: SpanExporter | None = None) -> bool:
    """Set up the process's tracer provider once (first caller names the service); True if on.

    `exporter` (e.g. an in-memory one in a test) turns tracing on without any environment.
    """
    global _provider
    with _lock:
        if _provider is not None:
            if exporter is not None:
                _provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=50))
            return True
        endpoint = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        path = os.environ.get("IDPRO_TRACE_FILE")
        if not (endpoint or path or exporter):
            return False
        provider = TracerProvider(
            resource=Resource.create(
                {"service.name": os.environ.get("OTEL_SERVICE_NAME", service)}
            ),
            sampler=ParentBased(root=RootsAtTheDoor()),
        )
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if path:
            provider.add_span_processor(
                BatchSpanProcessor(JsonLinesExporter(path), schedule_delay_millis=200)
            )
        if exporter is not None:
            provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=50))
        trace.set_tracer_provider(provider)
        _instrument_libraries()
        _provider = provider
        return True


class RootsAtTheDoor(Sampler):
    """A trace starts where work enters (an HTTP request, a message sent or handled), never at a
    background loop's polling query, which would otherwise be a one-span trace every second."""

    def should_sample(
        self,
        parent_context,
        trace_id,
        name,
        kind=None,
        attributes=None,
        links=None,
        trace_state=None,
    ) -> SamplingResult:
        # aiokafka's span per fetched batch has no parent (its records' spans continue their
        # producers' traces): a one-span trace per poll is noise too.
        batch_poll = kind is SpanKind.CONSUMER and name.endswith(" receive")
        if kind in (SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER) and not batch_poll:
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, trace_state)
        return SamplingResult(Decision.DROP, None, trace_state)

    def get_description(self) -> str:
        return "RootsAtTheDoor"


def _instrument_libraries() -> None:
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument()
    AIOKafkaInstrumentor().instrument()


def instrument_app(app) -> None:
    """Server spans for a FastAPI app (a no-op while tracing is off)."""
    if not enabled():
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=EXCLUDED_URLS, exclude_spans=["receive", "send"]
    )


def instrument_engine(engine) -> None:
    """A span per SQL statement of this engine (asyncpg under SQLAlchemy's async engine)."""
    if not enabled():
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses unchanged.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine, enable_commenter=False, skip_dep_check=True
    )


def flush() -> None:
    if _provider is not None:
        _provider.force_flush()


def tracer() -> trace.Tracer:
    return trace.get_tracer("idpro")


def inject(carrier: MutableMapping[str, str]) -> None:
    """Add the current context's traceparent (and tracestate) to `carrier`, when tracing."""
    if enabled():
        propagate.inject(carrier)


def context_of(carrier: Mapping[str, str] | None) -> Context | None:
    """The context a carrier (row headers, a JSON dict) was written in, or None."""
    if not carrier or "traceparent" not in carrier:
        return None
    return propagate.extract(dict(carrier))


def kafka_context(headers: Sequence[tuple[str, bytes]] | None) -> Context | None:
    """The context in a Kafka record's headers (the first traceparent), or None."""
    for name, value in headers or ():
        if name == "traceparent" and value:
            return propagate.extract({"traceparent": value.decode()})
    return None


@contextmanager
def span(
    name: str,
    *,
    parent: Context | None = None,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[trace.Span | None]:
    """A span as the current one (child of `parent` when given); nothing at all when off."""
    if not enabled():
        with nullcontext() as nothing:
            yield nothing
        return
    with tracer().start_as_current_span(
        name, context=parent, kind=kind, attributes=attributes
    ) as current:
        yield current


def current() -> Context | None:
    """The current context (to continue later, outside its span), or None when off."""
    return otel_context.get_current() if enabled() else None


@contextmanager
def within(context: Context | None) -> Iterator[None]:
    """`context` as the current one, no new span: what is staged meanwhile continues it."""
    if not enabled() or context is None:
        yield
        return
    token = otel_context.attach(context)
    try:
        yield
    finally:
        otel_context.detach(token)


class JsonLinesExporter(SpanExporter):
    """One JSON object per finished span, appended to a file (several processes may share it)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(as_record(s), separators=(",", ":")) for s in spans]
        with self._lock, open(self.path, "a", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


def as_record(s: ReadableSpan) -> dict:
    """The fields of a span a reader of one trace needs (ids in hex, times in ns)."""
    return {
        "service": s.resource.attributes.get("service.name"),
        "name": s.name,
        "kind": s.kind.name,
        "trace_id": format(s.context.trace_id, "032x"),
        "span_id": format(s.context.span_id, "016x"),
        "parent_id": format(s.parent.span_id, "016x") if s.parent else None,
        "start": s.start_time,
        "end": s.end_time,
        "status": s.status.status_code.name,
        "attributes": {
            k: v
            for k, v in (s.attributes or {}).items()
            if k.startswith(("http.", "messaging.", "idpro.", "db.system", "url.path"))
            or k in ("http.route", "server.address")
        },
    }
