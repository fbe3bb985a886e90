"""Print benchmark figures as a table and as JSON, and keep the JSON under bench/results/."""

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def print_table(title: str, rows: list[tuple[str, object]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}\n{'-' * len(title)}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def write_json(name: str, result: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({name: result}))
