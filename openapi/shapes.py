"""Shapes: a JSON body or a response schema reduced to {field path: type}, and their differences.

Paths use the validator's notation with "*" for any array item or map key: "/*/Names",
"/NetworkSettings/Networks/*/IPAddress". Types are JSON's: string, number, boolean, null,
object, array (a schema's integer counts as number, so that bodies and schemas compare).
"""

from __future__ import annotations

import re

MAX_DEPTH = 8
# Keys that are data (names, ids, "80/tcp"), not fields, collapse to "*"; the API's fields are
# CamelCase. Labels and options are maps even when their keys look like fields.
FIELD_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
MAP_FIELDS = {
    "Labels",
    "Data",
    "Status",
    "Options",
    "DriverOpts",
    "Sysctls",
    "Tmpfs",
    "StorageOpt",
    "Runtimes",
    "IndexConfigs",
}


def _key(parent: str, key: str) -> str:
    return key if FIELD_NAME.match(key) and parent.rsplit("/", 1)[-1] not in MAP_FIELDS else "*"


def _type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def generalize(path: str) -> str:
    """A concrete JSON path as a pattern: array indexes and map keys become "*"."""
    parts = path.split("/")
    return "/".join(parts[:1] + [_key("/".join(parts[:i]), part) for i, part in enumerate(parts[1:], 1)])


def body_shape(body, path: str = "", depth: int = 0, shape: dict | None = None) -> dict[str, str]:
    """Every field path of a JSON value with its type; arrays merge their items under "*"."""
    shape = {} if shape is None else shape
    kind = _type(body)
    if path:
        previous = shape.get(path)
        shape[path] = kind if previous in (None, kind) else "|".join(sorted({*previous.split("|"), kind}))
    if depth >= MAX_DEPTH:
        return shape
    if isinstance(body, list):
        for item in body:
            body_shape(item, f"{path}/*", depth + 1, shape)
    elif isinstance(body, dict):
        for key, value in body.items():
            body_shape(value, f"{path}/{_key(path, key)}", depth + 1, shape)
    return shape


def schema_shape(
    spec: dict, schema: dict | None, path: str = "", depth: int = 0, shape: dict | None = None
) -> dict[str, str]:
    """Every field path a response schema declares, references resolved, with its type."""
    shape = {} if shape is None else shape
    if not schema or depth >= MAX_DEPTH:
        return shape
    schema = _resolve(spec, schema)
    for part in schema.get("allOf", []):
        schema_shape(spec, part, path, depth, shape)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    kind = "number" if kind == "integer" else kind
    if path and kind:
        shape[path] = kind
    if kind == "array":
        schema_shape(spec, schema.get("items"), f"{path}/*", depth + 1, shape)
    for name, member in (schema.get("properties") or {}).items():
        schema_shape(spec, member, f"{path}/{_key(path, name)}", depth + 1, shape)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        schema_shape(spec, extra, f"{path}/*", depth + 1, shape)
    return shape


def _resolve(spec: dict, schema: dict) -> dict:
    seen = 0
    while "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec.get("definitions", {}).get(name, {})
        seen += 1
    return schema


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list]:
    """Fields added, removed and changed (path, old type, new type) from one shape to another."""
    return {
        "added": sorted(p for p in after if p not in before),
        "removed": sorted(p for p in before if p not in after),
        "changed": sorted(
            (p, before[p], after[p])
            for p in before.keys() & after.keys()
            if comparable(before[p]) != comparable(after[p])
        ),
    }


def comparable(kind: str) -> frozenset:
    """null beside another type is the same field still there (nil slices): not a change of shape."""
    kinds = frozenset(kind.split("|"))
    return kinds - {"null"} or kinds
