"""Shapes: a JSON body or a response schema reduced to {field path: type}, and their differences; beside a
body's shape, the classes of its values that are not per run, and the headers a client reads.

Paths use the validator's notation with "*" for any array item or map key: "/*/Names",
"/NetworkSettings/Networks/*/IPAddress". Types are JSON's: string, number, boolean, null,
object, array (a schema's integer counts as number, so that bodies and schemas compare).
"""

from __future__ import annotations

import json
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
        shape[path] = union(shape.get(path), kind)
    if depth >= MAX_DEPTH:
        return shape
    if isinstance(body, list):
        for item in body:
            body_shape(item, f"{path}/*", depth + 1, shape)
    elif isinstance(body, dict):
        for key, value in body.items():
            body_shape(value, f"{path}/{_key(path, key)}", depth + 1, shape)
    return shape


def union(known: str | None, kind: str) -> str:
    """Two kinds (types, value classes) seen at one path as one: "a|b", sorted."""
    if known in (None, kind):
        return kind
    return "|".join(sorted({*known.split("|"), *kind.split("|")}))


def fold(record: dict, other: dict) -> dict:
    """RECORD with OTHER's fields, values and headers (shape records of the same answers) folded in."""
    for part in ("fields", "values", "headers"):
        into = record.setdefault(part, {})
        for path, kind in other.get(part, {}).items():
            into[path] = union(into.get(path), kind)
    return record


def schema_shape(
    spec: dict,
    schema: dict | None,
    path: str = "",
    depth: int = 0,
    shape: dict | None = None,
    enums: set | None = None,
) -> dict[str, str]:
    """Every field path a response schema declares, references resolved, with its type; ENUMS, when given,
    gets the paths whose values the schema enumerates."""
    shape = {} if shape is None else shape
    if not schema or depth >= MAX_DEPTH:
        return shape
    schema = _resolve(spec, schema)
    if enums is not None and schema.get("enum") and path and not path.endswith("/*"):
        enums.add(path)  # not a map's values or a list's items: "*" stands for other members there too
    for part in schema.get("allOf", []):
        schema_shape(spec, part, path, depth, shape, enums)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    kind = "number" if kind == "integer" else kind
    if path and kind:
        shape[path] = kind
    if kind == "array":
        schema_shape(spec, schema.get("items"), f"{path}/*", depth + 1, shape, enums)
    for name, member in (schema.get("properties") or {}).items():
        schema_shape(spec, member, f"{path}/{_key(path, name)}", depth + 1, shape, enums)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        schema_shape(spec, extra, f"{path}/*", depth + 1, shape, enums)
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


# Value classes: what a value means beyond its type, where that is not per run. Ordinary classes (a number, a
# string, a list with items) are kept only beside a special one at the same path, so the record stays small.
ORDINARY = frozenset({"n", "s", "[..]"})
PLACEHOLDER = "<none>"  # "<none>:<none>", "<none>@<none>": an image without tags or digests
ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's zero time: a date never set
ENUM_LENGTH = 40  # an enumerated value longer than this is data the spec's enum does not hold


def _value_class(value, enum: bool) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "-1" if value < 0 else "n"  # -1: "unknown" or "not computed"
    if isinstance(value, str):
        if enum and len(value) <= ENUM_LENGTH:
            return json.dumps(value)
        if value.startswith(PLACEHOLDER):
            return PLACEHOLDER
        return "zero time" if value == ZERO_TIME else "s"
    if isinstance(value, list):
        return "[..]" if value else "[]"
    return None  # objects have fields; null is a type


def value_classes(body, enums: frozenset | set = frozenset()) -> dict[str, str]:
    """{path: classes} of the values of a JSON body that mean more than their type: booleans, negative sentinels
    (-1), empty lists (beside null and missing, which the shape says), image placeholders, the zero time, and the
    values of the paths the spec enumerates (ENUMS). Paths whose values were all ordinary are left out."""
    found: dict[str, str] = {}

    def walk(value, path: str, depth: int) -> None:
        kind = _value_class(value, path in enums)
        if path and kind:
            found[path] = union(found.get(path), kind)
        if depth >= MAX_DEPTH:
            return
        if isinstance(value, list):
            for item in value:
                walk(item, f"{path}/*", depth + 1)
        elif isinstance(value, dict):
            for key, member in value.items():
                walk(member, f"{path}/{_key(path, key)}", depth + 1)

    walk(body, "", 0)
    return {path: kinds for path, kinds in found.items() if not ORDINARY.issuperset(kinds.split("|"))}


# The response headers a client reads: by value, or only whether they are there (their values are per engine
# release or per swarm state, not a contract).
HEADERS_BY_VALUE = ("Content-Type", "Builder-Version", "Docker-Experimental", "OSType")
HEADERS_BY_PRESENCE = ("API-Version", "Server", "Swarm")
PRESENT = "present"


def header_classes(headers) -> dict[str, str]:
    """{name: value or "present"} of the headers a client reads (HEADERS a case-insensitive mapping); a
    Content-Type by its media type."""
    found = {name: PRESENT for name in HEADERS_BY_PRESENCE if name in headers}
    for name in HEADERS_BY_VALUE:
        value = headers.get(name)
        if value is not None:
            found[name] = value.split(";", 1)[0].strip().lower() if name == "Content-Type" else value
    return found
