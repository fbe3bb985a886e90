"""Breaking-change detection between two JSON Schemas of one event (additive changes only)."""

from typing import Any


def breaking_changes(old: dict[str, Any], new: dict[str, Any], *, path: str = "") -> list[str]:
    """What a consumer built on `old` would trip on in `new`: removed fields, changed types, new required."""
    problems: list[str] = []
    old, new = _resolve(old, old), _resolve(new, new)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_field in old_props.items():
        where = f"{path}.{name}" if path else name
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        problems += _type_changes(old_field, new_props[name], where, old, new)
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        problems.append(f"{path + '.' if path else ''}{name}: newly required")
    return problems


def _type_changes(old_field, new_field, where, old_root, new_root) -> list[str]:
    old_field, new_field = _resolve(old_field, old_root), _resolve(new_field, new_root)
    if _types(old_field) - _types(new_field):
        return [
            f"{where}: type changed from {sorted(_types(old_field))} to {sorted(_types(new_field))}"
        ]
    if "properties" in old_field:
        nested_old = {**old_field, "$defs": old_root.get("$defs", {})}
        nested_new = {**new_field, "$defs": new_root.get("$defs", {})}
        return breaking_changes(nested_old, nested_new, path=where)
    old_enum, new_enum = (
        set(map(str, old_field.get("enum", []))),
        set(map(str, new_field.get("enum", []))),
    )
    if old_enum - new_enum and new_enum:
        return [f"{where}: values removed {sorted(old_enum - new_enum)}"]
    return []


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {**root["$defs"][ref.removeprefix("#/$defs/")], "$defs": root.get("$defs", {})}
    return schema


def _types(schema: dict[str, Any]) -> set[str]:
    """The JSON types a field accepts (a union's members; a $ref counts as an object)."""
    if "anyOf" in schema:
        return set().union(*(_types(option) for option in schema["anyOf"]))
    if "$ref" in schema:
        return {"object"}
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    if kind:
        return {kind}
    if "const" in schema or "enum" in schema:
        return {"string"}
    return {"any"}
