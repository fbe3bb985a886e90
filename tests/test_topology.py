"""The subscription map (eventing.topology) against what the services register and the README."""

import inspect
import re
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from eventing.topology import SUBSCRIPTIONS, check_handlers, diagram
from history.handlers import HANDLERS as HISTORY
from intake.handlers import HANDLERS as INTAKE
from matching.handlers import HANDLERS as MATCHING
from notifier.handlers import HANDLERS as NOTIFIER
from webhooks.handlers import HANDLERS as WEBHOOKS

README = Path(__file__).parents[1] / "README.md"
HANDLERS = {
    "intake": INTAKE,
    "matching": MATCHING,
    "notifier": NOTIFIER,
    "history": HISTORY,
    "webhooks": WEBHOOKS,
}


@pytest.mark.parametrize("service", sorted(SUBSCRIPTIONS))
def test_each_services_handlers_are_exactly_its_subscriptions(service):
    check_handlers(service, HANDLERS[service])


@pytest.mark.parametrize("service", sorted(SUBSCRIPTIONS))
def test_every_handler_has_the_one_shape_event_then_transaction(service):
    for event_type, handler in HANDLERS[service].items():
        assert inspect.iscoroutinefunction(handler), handler
        event, tx, *keyword_only = inspect.signature(handler, eval_str=True).parameters.values()
        assert issubclass(event_type, event.annotation), (service, handler.__name__)
        assert tx.annotation is AsyncSession, (service, handler.__name__)
        # matching's give its matcher by keyword, bound once in its app.py
        assert all(p.kind is p.KEYWORD_ONLY for p in keyword_only), (service, handler.__name__)


def test_the_readmes_diagram_is_the_one_drawn_from_the_map():
    (drawn,) = re.findall(r"```mermaid\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert drawn == diagram(), "run `uv run idpro-topology` and paste it in README.md"


def test_the_diagram_draws_one_arrow_per_publisher_and_consumer_pair():
    arrows = diagram().splitlines()[1:]
    assert "webhooks" not in {arrow.split()[0] for arrow in arrows}  # it publishes no event
    assert any(a.startswith("  notifier") and a.endswith("--> history") for a in arrows)
    assert len(arrows) == len(set(arrows)) == 9
