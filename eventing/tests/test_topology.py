"""The subscription map holds every service to its handlers, and every event to a consumer."""

import pytest

from contracts import CATALOGUE, NumberAssigned, RequestSubmitted
from eventing.topology import SUBSCRIPTIONS, check_handlers, consumers_of, owner_of, published_by


def test_every_event_has_one_publisher_and_at_least_one_consumer():
    for event_type in CATALOGUE:
        assert owner_of(event_type) in ("intake", "matching", "notifier")
        assert consumers_of(event_type), event_type.__name__


def test_the_services_that_publish_nothing_are_history_and_webhooks():
    assert {s for s in SUBSCRIPTIONS if not published_by(s)} == {"history", "webhooks"}


def test_a_service_whose_handlers_differ_from_its_subscriptions_is_refused_by_name():
    with pytest.raises(
        ValueError, match=r"missing=\['InfoRequested'.*extra=\['RequestSubmitted'\]"
    ):
        check_handlers("intake", {NumberAssigned: None, RequestSubmitted: None})

    check_handlers("intake", dict.fromkeys(SUBSCRIPTIONS["intake"]))
