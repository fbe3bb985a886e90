"""The pure rules: payloads, URL checks, the retry schedule."""

import statistics
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from contracts import NumberAssigned, RequestCancelled
from webhooks.domain import (
    KINDS,
    RetrySchedule,
    UrlRefused,
    check_url,
    delivery_id,
    payload,
    verdict,
)

PRODUCTION = RetrySchedule(initial_s=5.0, max_s=6 * 3600, horizon_s=3 * 24 * 3600)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_the_kinds_are_the_six_outcomes():
    assert KINDS == (
        "number_assigned", "information_requested", "under_review", "rejected", "cancelled",
        "expired",
    )  # fmt: skip


def test_a_cancellation_carries_ids_and_the_status_only():
    event = RequestCancelled(
        producer="intake", request_id=uuid4(), employer_id="0123456789",
        cancelled_by="hr-1", reason="The worker did not come",
    )  # fmt: skip

    body = payload(event)

    assert body["data"] == {
        "request_id": str(event.request_id), "status": "cancelled", "request_version": 1,
    }  # fmt: skip
    assert "hr-1" not in str(body) and "worker" not in str(body)


def test_a_replayed_event_maps_to_the_same_delivery_per_endpoint():
    endpoint, other, event = uuid4(), uuid4(), uuid4()
    assert delivery_id(endpoint, event) == delivery_id(endpoint, event)
    assert delivery_id(endpoint, event) != delivery_id(other, event)


def test_a_number_assigned_carries_the_number_and_its_kind():
    event = NumberAssigned(
        producer="matching", request_id=uuid4(), employer_id="0123456789",
        ssin="90442800295", kind="existing_bis", completed={"birth_place": "Kraków"},
    )  # fmt: skip

    data = payload(event)["data"]

    assert (data["ssin"], data["ssin_kind"]) == ("90442800295", "existing_bis")
    assert "Kraków" not in str(data)  # what the registry completed stays with intake


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://example.com/", "webhooks.url_not_https"),
        ("https://127.0.0.1/", "webhooks.url_private_address"),
        ("https://LOCALHOST./", "webhooks.url_private_address"),
        ("https://api.localhost/", "webhooks.url_private_address"),
        ("https://[::ffff:127.0.0.1]/", "webhooks.url_private_address"),
        ("https://172.16.0.1/", "webhooks.url_private_address"),
        ("https://example.com:99999/", "webhooks.url_invalid"),
        ("https://example.com/#x", "webhooks.url_invalid"),
        ("https:///path", "webhooks.url_invalid"),
        ("https://a:b@example.com/", "webhooks.url_credentials"),
        ("https://example.com/" + "a" * 2000, "webhooks.url_too_long"),
    ],
)
def test_urls_that_may_not_receive_webhooks(url, code):
    with pytest.raises(UrlRefused) as refused:
        check_url(url, development=False)
    assert refused.value.code == code


def test_development_allows_http_to_loopback_and_nothing_else():
    assert check_url("http://127.0.0.1:8123/x", development=True).port == 8123
    assert check_url("http://localhost:8123/x", development=True).host == "localhost"
    for url in ("http://example.com/", "http://10.0.0.1/", "https://10.0.0.1/"):
        with pytest.raises(UrlRefused):
            check_url(url, development=True)


def test_public_https_urls_are_accepted_with_their_port():
    assert check_url("https://hooks.example.com/idpro?t=1", development=False).port == 443
    assert check_url("https://8.8.8.8:8443/", development=False).port == 8443


def test_2xx_delivers_410_disables_and_everything_else_is_retried():
    assert [verdict(c) for c in (200, 204, 299)] == ["delivered"] * 3
    assert verdict(410) == "gone"
    assert {verdict(c) for c in (301, 302, 400, 404, 429, 500, 502, 503)} == {"retry"}


def test_backoff_doubles_within_jitter_and_is_capped():
    for attempt in range(1, 40):
        ceiling = min(PRODUCTION.max_s, PRODUCTION.initial_s * 2 ** (attempt - 1))
        delays = [PRODUCTION.delay(attempt) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
    assert PRODUCTION.delay(10_000) <= PRODUCTION.max_s  # no float overflow


def test_retry_after_is_honoured_within_the_cap():
    assert PRODUCTION.delay(1, retry_after_s=120) == 120
    assert PRODUCTION.delay(1, retry_after_s=0) == PRODUCTION.initial_s
    assert PRODUCTION.delay(1, retry_after_s=10**9) == PRODUCTION.max_s


def test_the_production_schedule_retries_for_three_days_then_gives_up():
    spans, counts = [], []
    for _ in range(200):
        at, attempts = T0, 1
        while (nxt := PRODUCTION.next_attempt(now=at, attempts=attempts, since=T0)) is not None:
            at, attempts = nxt, attempts + 1
        spans.append((at - T0) / timedelta(hours=1))
        counts.append(attempts)

    assert all(60 <= span <= 72 for span in spans)  # the last attempt lands in the third day
    assert 24 <= statistics.median(counts) <= 32
