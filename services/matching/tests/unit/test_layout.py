"""The house layout, checked on the imports: handlers → service → domain → repository → tables."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[2] / "src" / "matching"


def imports_of(path: Path) -> set[str]:
    """Every module name `path` imports (absolute imports only, as the house style writes them)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(folder: str) -> list[Path]:
    root = SOURCE / folder
    return sorted(root.rglob("*.py")) if root.is_dir() else [SOURCE / f"{folder}.py"]


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_the_domain_is_pure(path):
    forbidden = ("sqlalchemy", "fastapi", "asyncpg", "eventing", "faststream", "aiokafka")
    outer = ("matching.repository", "matching.service", "matching.api", "matching.handlers")
    names = imports_of(path)
    assert not {n for n in names if n.split(".")[0] in forbidden or n.startswith(outer)}


def test_handlers_reach_only_the_service():
    matching_imports = {n for n in imports_of(SOURCE / "handlers.py") if n.startswith("matching")}
    assert matching_imports == {"matching.service"}


@pytest.mark.parametrize("path", modules("api"), ids=lambda p: p.name)
def test_routes_reach_the_service_and_the_pure_domain_only(path):
    matching_imports = {n for n in imports_of(path) if n.startswith("matching")}
    allowed = ("matching.service", "matching.domain", "matching.api")
    assert all(n == "matching" or n.startswith(allowed) for n in matching_imports), matching_imports


def test_tables_know_nothing_of_the_repository():
    assert not {n for n in imports_of(SOURCE / "tables.py") if n.startswith("matching.")}


@pytest.mark.parametrize("path", modules("repository"), ids=lambda p: p.name)
def test_the_repository_never_calls_upwards(path):
    upward = ("matching.service", "matching.api", "matching.handlers", "matching.tools")
    assert not {n for n in imports_of(path) if n.startswith(upward)}
