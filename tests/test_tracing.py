"""One trace across the system: the caller's traceparent at the gateway is continued through
intake, the outbox row, the relay, every consumer and the SMTP send (spans exported to files)."""

import json
import os
import secrets
import uuid
from pathlib import Path

import pytest

from contracts import NumberAssigned
from devstack.smtp import SmtpSink
from eventing.topology import consumers_of
from tests.support import eventually, sample_request


def spans_of(system, trace_id: str) -> list[dict]:
    spans = []
    for path in (system.state_dir / "traces").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            span = json.loads(line)
            if span["trace_id"] == trace_id:
                spans.append(span)
    return spans


def span_table(spans: list[dict]) -> str:
    """The trace as indented text: start and duration in ms from the first span, service, kind."""
    children: dict[str | None, list[dict]] = {}
    ids = {s["span_id"] for s in spans}
    for s in spans:
        children.setdefault(s["parent_id"] if s["parent_id"] in ids else None, []).append(s)
    t0 = min(s["start"] for s in spans)
    lines = [f"{'start ms':>9} {'took ms':>8}  {'service':<9} {'kind':<8} span"]

    def walk(parent: str | None, depth: int) -> None:
        for s in sorted(children.get(parent, []), key=lambda s: s["start"]):
            start, took = (s["start"] - t0) / 1e6, (s["end"] - s["start"]) / 1e6
            lines.append(
                f"{start:9.1f} {took:8.1f}  {s['service']:<9} {s['kind']:<8} "
                f"{'  ' * depth}{s['name']}"
            )
            walk(s["span_id"], depth + 1)

    walk(None, 0)
    return "\n".join(lines) + "\n"


def write_table(path: Path, spans: list[dict]) -> None:
    path.write_text(span_table(spans))


def names(spans, service: str) -> set[str]:
    return {s["name"] for s in spans if s["service"] == service}


async def submit_traced(gateway, employer, email: str) -> tuple[str, str]:
    """Submit a request as a caller in a trace of its own; its trace id and the caller's span."""
    trace_id, root_span = secrets.token_hex(16), secrets.token_hex(8)
    response = await gateway.post(
        "/api/requests",
        json=sample_request(email=email),
        headers={
            **employer.headers,
            "Idempotency-Key": str(uuid.uuid4()),
            "traceparent": f"00-{trace_id}-{root_span}-01",
        },
    )
    assert response.status_code == 201
    return trace_id, root_span


async def test_a_request_is_one_trace_from_the_gateway_to_the_e_mail(
    system, gateway, actor, smtp_sink
):
    email = f"hr-{uuid.uuid4().hex[:8]}@example.be"
    trace_id, root_span = await submit_traced(gateway, actor(), email)
    await smtp_sink.mailbox.wait_for(lambda m: email in m.envelope_to, timeout=60)

    async def whole_trace():
        spans = spans_of(system, trace_id)
        seen = {s["service"]: names(spans, s["service"]) for s in spans}
        # A span is written when it ends, after its children: wait for every parent too.
        ids = {s["span_id"] for s in spans} | {root_span}
        done = (
            all(s["parent_id"] in ids for s in spans)
            and "smtp send" in seen.get("notifier", ())
            and all(
                "matching.number-assigned process" in seen.get(consumer, ())
                for consumer in consumers_of(NumberAssigned)
            )
            and "notifier.notification-sent process" in seen.get("history", ())
        )
        return spans if done else None

    spans = await eventually(whole_trace, within=60)
    if os.environ.get("IDPRO_TRACE_TABLE"):  # the exported spans, for a reader (or a note)
        write_table(Path(os.environ["IDPRO_TRACE_TABLE"]), spans)

    assert {"gateway", "intake", "matching", "history", "notifier", "webhooks"} <= {
        s["service"] for s in spans
    }
    gateway_server = [s for s in spans if s["service"] == "gateway" and s["kind"] == "SERVER"]
    assert gateway_server and all(s["parent_id"] == root_span for s in gateway_server)
    assert any(s["kind"] == "CLIENT" for s in spans if s["service"] == "gateway")  # httpx
    assert any(s["kind"] == "SERVER" for s in spans if s["service"] == "intake")
    assert "intake.request-submitted relay" in names(spans, "intake")
    assert "intake.request-submitted send" in names(spans, "intake")  # aiokafka
    for consumer in ("matching", "history", "notifier"):
        assert "intake.request-submitted process" in names(spans, consumer), consumer
    assert "matching.number-assigned relay" in names(spans, "matching")
    # Every consumer of the number (webhooks too, though this employer has no endpoint).
    for consumer in consumers_of(NumberAssigned):
        assert "matching.number-assigned process" in names(spans, consumer), consumer
    # The e-mail's NotificationSent, staged after the send, reaches history in the same trace.
    assert "notifier.notification-sent relay" in names(spans, "notifier")
    # SQL statements of the handlers are in the trace too (SQLAlchemy over asyncpg).
    assert any(
        s["service"] == "matching" and any(k.startswith("db.system") for k in s["attributes"])
        for s in spans
    )
    # One tree: every span hangs off the caller's span through spans of this same trace.
    ids = {s["span_id"] for s in spans} | {root_span}
    assert all(s["parent_id"] in ids for s in spans), [
        (s["service"], s["name"]) for s in spans if s["parent_id"] not in ids
    ]
    # Consumer spans carry how the event ended.
    processed = [s for s in spans if s["name"].endswith(" process")]
    assert {s["attributes"].get("idpro.outcome") for s in processed} == {"done"}


async def test_a_refused_e_mail_s_notification_failed_continues_the_trace_from_the_send(
    system, gateway, actor, smtp_sink
):
    if not isinstance(smtp_sink, SmtpSink):
        pytest.skip("needs the session's own SMTP sink to refuse a recipient")
    email = f"gone-{uuid.uuid4().hex[:8]}@example.be"
    smtp_sink.fail_next(1, code=550, text="No such mailbox", stage="RCPT", to=email)
    trace_id, root_span = await submit_traced(gateway, actor(), email)

    async def failure_in_history():
        spans = spans_of(system, trace_id)
        ids = {s["span_id"] for s in spans} | {root_span}
        done = all(s["parent_id"] in ids for s in spans) and (
            "notifier.notification-failed process" in names(spans, "history")
        )
        return spans if done else None

    spans = await eventually(failure_in_history, within=60)

    # NotificationFailed was staged in the context of the refused send, as NotificationSent is.
    sends = {s["span_id"] for s in spans if s["name"] == "smtp send"}
    relays = [s for s in spans if s["name"] == "notifier.notification-failed relay"]
    assert relays and all(s["parent_id"] in sends for s in relays), relays
