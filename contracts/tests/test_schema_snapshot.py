"""Every event's JSON Schema against the committed snapshot: additive changes only."""

import json
from pathlib import Path

import pytest

from contracts import CATALOGUE
from contracts.compat import breaking_changes

SNAPSHOTS = Path(__file__).parent / "schemas"


def current_schema(event) -> dict:
    return event.model_json_schema(mode="serialization")


@pytest.mark.parametrize("event", CATALOGUE, ids=lambda e: e.__name__)
def test_the_schema_of_each_event_has_no_breaking_change_against_its_snapshot(event):
    snapshot = json.loads((SNAPSHOTS / f"{event.topic}.json").read_text())

    assert breaking_changes(snapshot, current_schema(event)) == []


def test_every_event_has_a_committed_snapshot():
    assert {f"{event.topic}.json" for event in CATALOGUE} <= {p.name for p in SNAPSHOTS.iterdir()}


def test_removing_a_field_is_reported_as_breaking():
    old = {
        "properties": {"ssin": {"type": "string"}, "kind": {"type": "string"}},
        "required": ["ssin"],
    }
    new = {"properties": {"ssin": {"type": "string"}}, "required": ["ssin"]}

    assert breaking_changes(old, new) == ["kind: removed"]


def test_changing_a_type_is_reported_as_breaking():
    old = {"properties": {"pages": {"type": "integer"}}}
    new = {"properties": {"pages": {"type": "string"}}}

    assert breaking_changes(old, new) == ["pages: type changed from ['integer'] to ['string']"]


def test_a_new_required_field_is_breaking_but_a_new_optional_one_is_not():
    old = {"properties": {"a": {"type": "string"}}, "required": ["a"]}
    optional = {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a"]}
    required = {**optional, "required": ["a", "b"]}

    assert breaking_changes(old, optional) == []
    assert breaking_changes(old, required) == ["b: newly required"]


def test_a_nested_field_removed_from_a_referenced_model_is_breaking():
    old = {
        "properties": {"person": {"$ref": "#/$defs/P"}},
        "$defs": {"P": {"properties": {"surnames": {"type": "string"}, "sex": {"type": "string"}}}},
    }
    new = {
        "properties": {"person": {"$ref": "#/$defs/P"}},
        "$defs": {"P": {"properties": {"surnames": {"type": "string"}}}},
    }

    assert breaking_changes(old, new) == ["person.sex: removed"]


def test_the_real_number_assigned_schema_would_break_without_its_kind_field():
    schema = current_schema(next(e for e in CATALOGUE if e.__name__ == "NumberAssigned"))
    mutated = {
        **schema,
        "properties": {k: v for k, v in schema["properties"].items() if k != "kind"},
    }

    assert "kind: removed" in breaking_changes(schema, mutated)
