"""Which service consumes which events: the one map that consumer registration, the suite and
the README's diagram are held to. A service's publishers follow from the topics' names
(`<owner>.<event>`)."""

import argparse

from contracts import (
    CATALOGUE,
    INTAKE_EVENTS,
    MATCHING_EVENTS,
    Event,
    InfoProvided,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    RequestExpired,
    RequestRejected,
    RequestSubmitted,
    ReviewOpened,
)

SUBSCRIPTIONS: dict[str, tuple[type[Event], ...]] = {
    # matching's decisions move the request's status
    "intake": MATCHING_EVENTS,
    # a request to decide on, a corrected one, and the ones that close its review cases
    "matching": (RequestSubmitted, InfoProvided, RequestCancelled, RequestExpired),
    # one e-mail to the employer per lifecycle event
    "notifier": (*INTAKE_EVENTS, *MATCHING_EVENTS),
    # the read model: every topic
    "history": CATALOGUE,
    # the outcomes an employer's endpoints subscribe to
    "webhooks": (
        NumberAssigned,
        InfoRequested,
        ReviewOpened,
        RequestRejected,
        RequestCancelled,
        RequestExpired,
    ),
}


def owner_of(event_type: type[Event]) -> str:
    """The service that publishes `event_type` (the first part of its topic)."""
    return event_type.topic.split(".", 1)[0]


def published_by(service: str) -> tuple[type[Event], ...]:
    """The events a service's relay publishes."""
    return tuple(event for event in CATALOGUE if owner_of(event) == service)


def consumers_of(event_type: type[Event]) -> tuple[str, ...]:
    return tuple(service for service, events in SUBSCRIPTIONS.items() if event_type in events)


def check_handlers(service: str, handled) -> None:
    """Refuse a service whose handlers are not exactly its subscriptions (a missing handler would
    leave a topic unread; an extra one would read a topic nobody listed)."""
    wanted, given = set(SUBSCRIPTIONS[service]), set(handled)
    if wanted != given:
        missing = sorted(e.__name__ for e in wanted - given)
        extra = sorted(e.__name__ for e in given - wanted)
        raise ValueError(f"{service}'s handlers differ from SUBSCRIPTIONS: {missing=} {extra=}")


def diagram() -> str:
    """The README's diagram of who consumes whose events (Mermaid), one arrow per pair."""
    lines = ["flowchart LR"]
    for publisher in ("intake", "matching", "notifier"):
        for consumer, events in SUBSCRIPTIONS.items():
            names = [e.__name__ for e in events if owner_of(e) == publisher]
            if names:
                lines.append(f'  {publisher} -- "{"<br>".join(names)}" --> {consumer}')
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Print the README's diagram of who consumes whose events, drawn from SUBSCRIPTIONS."""
    argparse.ArgumentParser(prog="idpro-topology", description=main.__doc__).parse_args(argv)
    print(diagram(), end="")


if __name__ == "__main__":
    main()
