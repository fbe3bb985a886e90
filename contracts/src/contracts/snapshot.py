"""`idpro-contracts-snapshot`: write the JSON Schema snapshot of every event (after an additive change)."""

import json
from pathlib import Path

from contracts import CATALOGUE

FOLDER = Path(__file__).resolve().parents[2] / "tests" / "schemas"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for event in CATALOGUE:
        schema = event.model_json_schema(mode="serialization")
        (FOLDER / f"{event.topic}.json").write_text(
            json.dumps(schema, indent=2, sort_keys=True) + "\n"
        )
    print(f"wrote {len(CATALOGUE)} schemas to {FOLDER}")


if __name__ == "__main__":
    main()
