"""What the services emit stays within contracts' code sets, so every code has its words.

contracts/tests/test_labels.py proves each code of contracts.codes has a label in four languages;
this file proves the producers use no code outside those sets. The producers' code is read (ast),
not run: a new reason written anywhere in matching fails here until contracts knows it.
"""

import ast
from pathlib import Path

import pytest

from contracts.codes import (
    CASE_RESOLUTIONS,
    MISSING_FIELDS,
    NOTIFICATION_KINDS,
    REVIEW_REASONS,
)
from contracts.identification import ALTERNATIVES, MINIMUM_DATA_ITEMS
from contracts.labels import LABELS
from matching.domain import Level
from notifier.rendering import KINDS

ROOT = Path(__file__).parents[1]
MATCHING = ROOT / "services" / "matching" / "src" / "matching"


def strings(node: ast.AST | None) -> set[str]:
    """The string constants an expression can evaluate to (constants and conditional branches)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return strings(node.body) | strings(node.orelse)
    return set()


def modules(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def emitted_review_reasons() -> set[str]:
    """Reasons passed to NeedsReview, and those the function that picks one returns."""
    found: set[str] = set()
    for _, tree in modules(MATCHING):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "NeedsReview":
                found |= strings(node.args[0]) if node.args else set()
                found |= {s for k in node.keywords if k.arg == "reason" for s in strings(k.value)}
            if isinstance(node, ast.FunctionDef) and node.name == "_review_reason":
                found |= {
                    s for r in ast.walk(node) if isinstance(r, ast.Return) for s in strings(r.value)
                }
    return found


def emitted_resolutions() -> set[str]:
    found: set[str] = set()
    for _, tree in modules(MATCHING):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                found |= {
                    s for k in node.keywords if k.arg == "resolution" for s in strings(k.value)
                }
    return found


def test_the_scan_finds_the_reasons_matching_is_known_to_emit():
    # Guards the scan itself: if it found nothing, the next test would pass vacuously.
    assert {
        "ambiguous_candidates",
        "uncertain_match",
        "claimed_ssin_differs",
    } <= emitted_review_reasons()


def test_every_review_reason_matching_emits_is_a_contracts_code():
    assert emitted_review_reasons() - set(REVIEW_REASONS) == set()


def test_every_resolution_matching_writes_is_a_contracts_code():
    assert emitted_resolutions() and emitted_resolutions() - set(CASE_RESOLUTIONS) == set()


def test_every_minimum_data_item_is_a_code_an_information_request_may_carry():
    items = {item for needs in ALTERNATIVES.values() for item in needs}
    assert items == set(MINIMUM_DATA_ITEMS) and items <= set(MISSING_FIELDS)


def test_every_e_mail_the_notifier_writes_is_a_contracts_kind_with_its_templates():
    templates = ROOT / "services" / "notifier" / "src" / "notifier" / "templates"
    assert set(KINDS) == set(NOTIFICATION_KINDS)
    for kind in KINDS:
        for suffix in ("subject.txt", "txt", "html"):
            assert (templates / f"{kind}.{suffix}").exists(), f"{kind}.{suffix}"


@pytest.mark.parametrize("level", [level.value for level in Level])
def test_every_agreement_level_the_review_api_shows_has_words(level):
    assert level in LABELS["agreement"]
