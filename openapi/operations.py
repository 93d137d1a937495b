"""A request's operation: its method and path matched to a path template of a spec ("GET /containers/{id}/json")."""

from __future__ import annotations

import re

METHODS = ("get", "post", "put", "delete", "head", "patch")
VERSION_PREFIX = re.compile(r"^/v\d+\.\d+(?=/)")


def operations(spec: dict) -> list[tuple[str, str, re.Pattern, re.Pattern]]:
    """(method, template, pattern, loose pattern) of every operation of a spec; loose: ids and names may hold
    slashes (images "library/alpine:latest")."""
    found = []
    for template, item in spec.get("paths", {}).items():
        strict, loose = (
            re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", any_id, re.escape(template)) + "$") for any_id in ("[^/]+", ".+")
        )
        found += [(m.upper(), template, strict, loose) for m in item if m in METHODS]
    # literal templates before templated ones: /containers/json is not /containers/{id}
    return sorted(found, key=lambda o: (o[1].count("{"), -len(o[1])))


def match(method: str, path: str, ops: list) -> str | None:
    """The operation ("GET /containers/{id}/json") of a request path (version prefix and query off)."""
    path = VERSION_PREFIX.sub("", path.split("?", 1)[0])
    for pattern in (2, 3):  # the strict match first, then one that lets names hold slashes
        found = next((f"{op[0]} {op[1]}" for op in ops if op[0] == method and op[pattern].match(path)), None)
        if found:
            return found
    return None
