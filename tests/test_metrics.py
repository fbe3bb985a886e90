"""/metrics of every running service, scraped after one request went through the whole system."""

import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from devstack.system import DEFAULT_PORTS
from tests.support import eventually, sample_request

CONSUMERS = ("intake", "matching", "notifier", "history", "webhooks")
PUBLISHERS = ("intake", "matching", "notifier")
# What every consuming service shows: plumbing gauges, per-event outcomes, lag, DLQ depth.
PLUMBING = (
    "idpro_outbox_pending",
    "idpro_outbox_oldest_pending_age_seconds",
    "idpro_inbox_size",
    "idpro_consumer_lag",
    "idpro_dlq_depth",
    "idpro_event_handling_seconds_count",
    "faststream_received_messages_total",
    "idpro_worker_working",
)


async def scrape(system, service: str) -> dict[str, list[tuple[dict, float]]]:
    async with httpx.AsyncClient(base_url=system.metrics_url(service), timeout=10) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, service
    samples: dict[str, list[tuple[dict, float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            samples.setdefault(s.name, []).append((s.labels, s.value))
    return samples


def value(samples, name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(v for got, v in samples.get(name, []) if labels.items() <= got.items())


async def test_every_service_shows_its_series_with_plausible_values_after_a_request(
    system, gateway, actor, smtp_sink
):
    employer = actor()
    email = f"hr-{uuid.uuid4().hex[:8]}@example.be"
    response = await gateway.post(
        "/api/requests",
        json=sample_request(email=email),
        headers={**employer.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201
    await smtp_sink.mailbox.wait_for(lambda m: email in m.envelope_to, timeout=60)

    async def notifier_counted_the_send():
        samples = await scrape(system, "notifier")
        return samples if value(samples, "idpro_notifications_sent_total") >= 1 else None

    await eventually(notifier_counted_the_send, within=30)

    def complete(service: str):
        async def probe():
            samples = await scrape(system, service)
            return samples if service not in CONSUMERS or set(PLUMBING) <= set(samples) else None

        return probe

    # A scrape-time probe that timed out under load leaves its gauges for the next scrape.
    scraped = {name: await eventually(complete(name)) for name in DEFAULT_PORTS}

    # The gateway's public port, which the ingress forwards, has no /metrics.
    assert (await gateway.get("/metrics")).status_code == 404
    post = {"route": "/api/{path:path}", "method": "POST", "status": "201"}
    assert value(scraped["gateway"], "idpro_http_requests_total", **post) >= 1
    assert value(scraped["gateway"], "idpro_http_request_duration_seconds_count") >= 1
    intake_post = {"route": "/requests", "method": "POST", "status": "201"}
    assert value(scraped["intake"], "idpro_http_requests_total", **intake_post) >= 1
    assert value(scraped["intake"], "idpro_http_request_duration_seconds_sum") > 0

    for service in CONSUMERS:
        samples = scraped[service]
        for name in PLUMBING:
            assert name in samples, f"{service} lacks {name}"
        assert value(samples, "idpro_outbox_pending") >= 0
        assert value(samples, "idpro_outbox_oldest_pending_age_seconds") >= 0
        assert all(v >= 0 for _, v in samples["idpro_consumer_lag"]), service
        # every partition of every consumed topic is assigned to this one member
        partitions = {(lbl["topic"], lbl["partition"]) for lbl, _ in samples["idpro_consumer_lag"]}
        assert len(partitions) % 3 == 0 and partitions, service
        assert all(v >= 0 for _, v in samples["idpro_dlq_depth"]), service
        relays = [v for lbl, v in samples["idpro_worker_working"] if lbl["worker"] == "relay"]
        # A relay only where there is something to publish: history and webhooks stage nothing.
        assert relays == ([1] if service in PUBLISHERS else []), service
        assert value(samples, "idpro_worker_working", worker="consumer") == 1, service

    # The request's first event was handled once by matching, history and notifier.
    for service in ("matching", "history", "notifier"):
        done = value(scraped[service], "idpro_events_consumed_total", outcome="done")
        assert done >= 1, service
        assert value(scraped[service], "idpro_inbox_size") >= 1, service
    assert (
        value(scraped["matching"], "idpro_events_consumed_total", topic="intake.request-submitted")
        >= 1
    )
    # Intake published its RequestSubmitted through the relay.
    assert value(scraped["intake"], "idpro_outbox_published_total") >= 1

    matching = scraped["matching"]
    assert value(matching, "idpro_matching_decisions_total", decided_by="automatic") >= 1
    assert value(matching, "idpro_matching_search_seconds_count") >= 1
    assert value(matching, "idpro_matching_score_seconds_count") >= 1
    assert {lbl["status"] for lbl, _ in matching["idpro_review_queue_size"]} == {"open", "claimed"}
    assert value(matching, "idpro_review_queue_oldest_age_seconds") >= 0

    notifier = scraped["notifier"]
    assert value(notifier, "idpro_smtp_send_seconds_count") >= 1
    assert len(notifier["idpro_notifications_pending"]) == 4  # one series per age band
    assert value(notifier, "idpro_notifications_oldest_pending_age_seconds") >= 0
