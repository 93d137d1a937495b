"""The upgrade view: what changes for a client when engine A is upgraded to engine B.

Both engines' answers to the same request are compared: the shape records of one test, operation and request
variant (the query), A's at its own API version against B's at its own (what a client that calls the engine's
version meets), and against B's at A's version where the run sent that (what a client pinned to A's version
meets). A change is one of KINDS, at an operation and a field, header or the status; each is tagged twice:

- versioned: B answers differently only at its newer API version (B at A's version answers as A did);
  unversioned: B changes even for a client that pins A's version (these break pinned clients); unknown: the
  run never sent that request to B at A's version.
- documented: the spec diff between the two API versions (or an erratum of the operation) accounts for it;
  undocumented: it does not; unknown: the spec files were not there to read (nothing is downloaded).

The gate (reports/compare.py) takes its removed, retyped and added fields from here, so both agree.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from packaging.version import Version

import openapi.specs
from openapi.errata import ERRATA
from openapi.shapes import comparable, diff, schema_shape
from openapi.specs import SpecUnavailable, load_spec

# In the order they break clients: a client that reads a field meets its loss first.
KINDS = (
    "removed",
    "retyped",
    "status changed",
    "null where it was not",
    "header removed",
    "header changed",
    "value class changed",
    "header added",
    "added",
)
GATED = ("removed", "retyped")  # what the gate fails on
OPENED = ("removed", "retyped", "status changed", "null where it was not")  # shown unfolded in the report
ORDINARY = {"number": "n", "string": "s", "array": "[..]"}  # a value's class where value_classes left it out
# Classes whose coming or going alone is a change (a list's items may mix them with ordinary values); booleans,
# enums and empty lists change only when no class of before is seen after (a state both pass through is none).
SENTINELS = {"-1", "<none>", "zero time"}
Key = tuple[str, str, str]  # (test, operation, variant): the same request


def index(results: dict, engine: str) -> dict[str, dict[Key, dict[int, dict]]]:
    """API version -> (test, operation, variant) -> status -> shape record, of one engine."""
    found: dict[str, dict[Key, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
    for shape in results.get("shapes", []):
        if shape["engine"] == engine:
            key = (shape.get("test", ""), shape["operation"], shape.get("variant", ""))
            found[shape["api"]][key][int(shape["status"])] = shape
    return found


def _classes(shape: dict, path: str) -> set[str]:
    kinds = shape.get("values", {}).get(path)
    if kinds:
        return set(kinds.split("|"))
    return {ORDINARY.get(kind, kind) for kind in shape["fields"][path].split("|") if kind != "null"}


def _enum_as_string(classes: set[str]) -> set[str]:
    """An enum's values as plain strings: for a path that only one of the two API versions' specs enumerates."""
    return {"s" if kind.startswith('"') else kind for kind in classes}


def _value_change(was: set[str], now: set[str]) -> bool:
    if any(k.startswith('"') for k in was) != any(k.startswith('"') for k in now):
        was, now = _enum_as_string(was), _enum_as_string(now)
    return bool(was and now) and (not was & now or was & SENTINELS != now & SENTINELS)


def _parent_missing(path: str, fields: dict) -> bool:
    """Items of a list with none (path ends in /*), or a field whose parent has its own line."""
    parent = path.rsplit("/", 1)[0]
    return path.endswith("/*") or bool(parent and parent not in fields)


def _field_changes(status: int, a: dict, b: dict) -> list[tuple]:
    """(kind, status, subject, before, after) between two shape records of the same request and status."""
    before, after = a.get("fields", {}), b.get("fields", {})
    delta = diff(before, after)
    found = [("removed", status, p, before[p], "") for p in delta["removed"] if not _parent_missing(p, after)]
    found += [("added", status, p, "", after[p]) for p in delta["added"] if not _parent_missing(p, before)]
    found += [("retyped", status, p, old, new) for p, old, new in delta["changed"] if _retyped(old, new)]
    for path in sorted(before.keys() & after.keys()):
        old, new = before[path], after[path]
        if _turned_null(old, new):
            found.append(("null where it was not", status, path, old, new))
        was, now = _classes(a, path), _classes(b, path)
        if comparable(old) == comparable(new) and _value_change(was, now):
            found.append(("value class changed", status, path, "|".join(sorted(was)), "|".join(sorted(now))))
    return found + _header_changes(status, a.get("headers", {}), b.get("headers", {}))


def _retyped(old: str, new: str) -> bool:
    """B answers a type A never did (null apart: that is the next kind); fewer of A's types is no retype."""
    return bool(comparable(new) - set(old.split("|"))) and not _turned_null(old, new)


def _turned_null(old: str, new: str) -> bool:
    """null is answered where it was not, and nothing but null or the types it had."""
    kinds = set(new.split("|"))
    return "null" in kinds and "null" not in old.split("|") and kinds - {"null"} <= set(old.split("|"))


def _header_changes(status: int, before: dict, after: dict) -> list[tuple]:
    found = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if new is None:
            found.append(("header removed", status, name, old, ""))
        elif old is None:
            found.append(("header added", status, name, "", new))
        elif not set(old.split("|")) & set(new.split("|")):
            found.append(("header changed", status, name, old, new))
    return found


def request_changes(a: dict[int, dict], b: dict[int, dict], sample: bool = False) -> list[tuple]:
    """Every change between A's and B's answers (status -> shape) to the same request. SAMPLE: B's answers are
    those of the request asked again at A's version (fixtures/client/pinned.py), not every one: only a status
    B answered and A never did is a change of status."""
    found = []
    if set(b) - set(a) if sample else set(a) != set(b):
        found.append(("status changed", None, "status", ",".join(map(str, sorted(a))), ",".join(map(str, sorted(b)))))
    for status in sorted(a.keys() & b.keys()):
        found += _field_changes(status, a[status], b[status])
    return found


def changes(old: dict, engine_a: str, new: dict, engine_b: str, load_spec: Callable | None = None) -> dict:
    """The upgrade view of ENGINE_A (in results OLD) to ENGINE_B (in NEW): {from, to, api, pinned, counts,
    changes: [{kind, operation, status, subject, before, after, tests, requests, versioned, documented}]},
    one entry per operation, field (header, status) and kind, in KINDS order. LOAD_SPEC(version) gives a spec
    or raises; without it nothing is documented."""
    version_a = old["engines"].get(engine_a, {}).get("api_version") or ""
    version_b = new["engines"].get(engine_b, {}).get("api_version") or ""
    side_a, side_b = index(old, engine_a), index(new, engine_b)
    own_a, own_b = side_a.get(version_a, {}), side_b.get(version_b, {})
    pinned_b = side_b.get(version_a, {}) if version_a != version_b else {}  # at one version, every change is pinned
    entries: dict[tuple, dict] = {}
    for key in sorted(own_a.keys() & own_b.keys()):
        pinned = request_changes(own_a[key], pinned_b[key], sample=True) if key in pinned_b else None
        seen = request_changes(own_a[key], own_b[key])
        for change in seen:
            _add(entries, key, change, _tag(change, pinned, version_a == version_b), own_a[key], own_b[key])
        for change in pinned or ():  # what only a client pinned to A's version meets
            if change[:3] not in {c[:3] for c in seen}:
                _add(entries, key, change, "unversioned", own_a[key], pinned_b[key])
    for key in sorted((own_a.keys() & pinned_b.keys()) - own_b.keys()):  # sent to B at A's version only
        for change in request_changes(own_a[key], pinned_b[key], sample=True):
            _add(entries, key, change, "unversioned", own_a[key], pinned_b[key])
    documenter = _documenter(load_spec, version_a, version_b, old.get("errata", []))
    listed = []
    for entry in entries.values():
        tags = entry.pop("tags")
        entry["versioned"] = "unversioned" if "unversioned" in tags else "versioned" if "versioned" in tags else None
        entry["documented"] = documenter(entry)
        entry["tests"], entry["requests"] = sorted(entry["tests"]), sorted(entry["requests"])
        listed.append(entry)
    listed.sort(key=_order)
    return {
        "from": engine_a,
        "to": engine_b,
        "api": {"from": version_a, "to": version_b},
        "pinned": bool(pinned_b) or version_a == version_b,
        "counts": {kind: sum(1 for e in listed if e["kind"] == kind) for kind in KINDS},
        "changes": listed,
    }


def _tag(change: tuple, pinned: list | None, same_version: bool) -> str | None:
    """unversioned: B changes so at A's version too (PINNED: the changes there); versioned: only at its own;
    None: B was not asked at A's version."""
    if same_version or (pinned is not None and change[:3] in {c[:3] for c in pinned}):
        return "unversioned"
    return None if pinned is None else "versioned"


def _order(entry: dict) -> tuple:
    pinned_first = {"unversioned": 0, None: 1, "versioned": 2}[entry["versioned"]]
    return (KINDS.index(entry["kind"]), pinned_first, entry["operation"], entry["status"] or 0, entry["subject"])


def _add(entries: dict, key: Key, change: tuple, tag: str | None, a: dict, b: dict) -> None:
    kind, status, subject, before, after = change
    test, operation, _ = key
    entry = entries.setdefault(
        (kind, operation, status, subject),
        {
            "kind": kind,
            "operation": operation,
            "status": status,
            "subject": subject,
            "before": before,
            "after": after,
            "tests": set(),
            "requests": set(),
            "tags": set(),
        },
    )
    entry["tests"].add(test)
    entry["requests"] |= {s["request"] for s in (*a.values(), *b.values()) if s.get("request")}
    entry["tags"].add(tag)


def _documenter(load_spec: Callable | None, version_a: str, version_b: str, errata: list[str]) -> Callable:
    """entry -> True (the spec diff or an erratum accounts for it), False, or None (no spec to read)."""
    applied = [e for e in ERRATA if e.id in errata]
    specs: dict[str, dict | None] = {}

    def spec(version: str) -> dict | None:
        if version not in specs:
            try:
                specs[version] = load_spec(version) if load_spec else None
            except Exception:  # an unreadable or absent spec: "unknown", not a failed report
                specs[version] = None
        return specs[version]

    def documented(entry: dict) -> bool | None:
        if any(fnmatch.fnmatchcase(entry["operation"], pattern) for e in applied for pattern in e.operations):
            return True
        old, new = spec(version_a), spec(version_b)
        if old is None or new is None:
            return None
        return _in_spec_diff(entry, _answer(old, entry["operation"]), _answer(new, entry["operation"]), old, new)

    return documented


def _answer(spec: dict, operation: str) -> dict:
    method, template = operation.split(" ", 1)
    return spec.get("paths", {}).get(template, {}).get(method.lower()) or {}


def _in_spec_diff(entry: dict, old: dict, new: dict, old_spec: dict, new_spec: dict) -> bool:
    """Whether the two specs' answers of the operation differ where ENTRY does."""
    if entry["kind"] == "status changed":
        statuses = [set(entry[side].split(",")) for side in ("before", "after")]
        return bool({*statuses[0], *statuses[1]} & (set(old.get("responses", {})) ^ set(new.get("responses", {}))))
    status = str(entry["status"])
    responses = [answer.get("responses", {}).get(status) or {} for answer in (old, new)]
    if entry["kind"].startswith("header"):
        return set(responses[0].get("headers", {})) ^ set(responses[1].get("headers", {})) >= {entry["subject"]}
    shapes = [schema_shape(s, r.get("schema")) for s, r in zip((old_spec, new_spec), responses, strict=True)]
    delta = diff(*shapes)
    changed = {*delta["added"], *delta["removed"], *(p for p, _, _ in delta["changed"])}
    return entry["subject"] in changed


def spec_files(spec_dir: Path | None, specs: dict[str, str]) -> Callable[[str], dict]:
    """A loader of the spec files there are, never downloading: SPEC_DIR's, else the cache's (where the run's
    specs were kept, results.json `specs`). Errata applied, as the run had them."""

    def load(version: str) -> dict:
        for directory in (spec_dir, openapi.specs.CACHE_DIR):  # read when called: tests point it elsewhere
            if directory and (Path(directory) / f"v{version}.yaml").is_file():
                return load_spec(version, Path(directory))
        raise SpecUnavailable(
            f"no v{version}.yaml in {spec_dir or openapi.specs.CACHE_DIR} (the run had it from {specs.get(version)})"
        )

    return load


def default_pairs(engines: list[str]) -> list[tuple[str, str]]:
    """Each docker engine to the next, and each other engine to the newest docker engine."""
    docker = sorted((e for e in engines if e.startswith("docker-")), key=lambda e: Version(e.split("-", 1)[1]))
    pairs = list(zip(docker, docker[1:], strict=False))
    if docker:
        pairs += [(e, docker[-1]) for e in sorted(engines) if e != docker[-1] and (e, docker[-1]) not in pairs]
    return pairs


def lines(view: dict, limit: int | None = None) -> list[str]:
    """The view as text: a heading, one line per change, the counts."""
    api = view["api"]
    pinned = "" if view["pinned"] else f" (no request was sent to {view['to']} at API {api['from']}: versioned unknown)"
    out = [f"upgrade {view['from']} (API {api['from']}) -> {view['to']} (API {api['to']}){pinned}"]
    for entry in view["changes"][:limit]:
        out.append(
            f"{entry['kind']:<21} {entry['operation']} {entry['status'] or ''} {entry['subject']}"
            + (f": {entry['before'] or '-'} -> {entry['after'] or '-'}" if entry["kind"] != "removed" else "")
            + f" [{entry['versioned'] or 'versioned?'}, {documented_word(entry['documented'])}]"
            + f" in {', '.join(entry['tests'][:3])}{' …' if len(entry['tests']) > 3 else ''}"
            + f" e.g. {entry['requests'][0] if entry['requests'] else '-'}"
        )
    counts = ", ".join(f"{n} {kind}" for kind, n in view["counts"].items() if n)
    tags = ", ".join(f"{n} {tag}" for tag, n in tag_counts(view["changes"]).items())
    out.append(f"{len(view['changes'])} changes: {counts or 'none'}; {tags}")
    return out


def tag_counts(entries: list[dict]) -> dict[str, int]:
    """How many entries carry each tag, in a fixed order: unversioned, versioned, versioned?, undocumented, ..."""
    counts = dict.fromkeys(("unversioned", "versioned", "versioned?", "undocumented", "documented", "documented?"), 0)
    for entry in entries:
        counts[entry["versioned"] or "versioned?"] += 1
        counts[documented_word(entry["documented"])] += 1
    return {tag: n for tag, n in counts.items() if n}


def documented_word(documented: bool | None) -> str:
    return {True: "documented", False: "undocumented", None: "documented?"}[documented]


def engine_groups(engines: list[str]) -> list[tuple[str, list[str]]]:
    """The Docker upgrade chain (oldest first), apart from the newest Docker against every other engine."""
    docker = sorted((e for e in engines if e.startswith("docker-")), key=lambda e: Version(e.split("-", 1)[1]))
    others = sorted(e for e in engines if e not in docker)
    groups = [("the Docker upgrade chain", docker), ("Docker against the others", docker[-1:] + others)]
    return [(title, group) for title, group in groups if len(group) > 1]


def engines_view(results: dict, engines: list[str]) -> dict:
    """Fields and headers whose type (or presence) differs between ENGINES in answers to the same request (test,
    operation, query, status), each engine at its own API version: one row per operation, status and field, with
    each engine's kinds and the tests it differed in. {columns: [(engine, api)], operations: [{operation, rows:
    [{status, field, cells: [kinds | "absent" | ""], tests}]}]}"""
    own = {e: results["engines"].get(e, {}).get("api_version") or "" for e in engines}
    sides = {e: index(results, e).get(own[e], {}) for e in engines}
    rows: dict[tuple, dict] = {}
    for key in sorted(set().union(*(side.keys() for side in sides.values()))):
        answers = {e: sides[e][key] for e in engines if key in sides[e]}
        for status in sorted(set().union(*(a.keys() for a in answers.values()))):
            shapes = {e: a[status] for e, a in answers.items() if status in a}
            if len(shapes) > 1:
                _differences(rows, key, status, shapes)
    operations: dict[str, list] = defaultdict(list)
    for (operation, status, field), row in sorted(rows.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])):
        cells = ["|".join(sorted(row["kinds"][e])) if e in row["kinds"] else "" for e in engines]
        operations[operation].append({"status": status, "field": field, "cells": cells, "tests": sorted(row["tests"])})
    return {
        "columns": [(e, own[e]) for e in engines],
        "operations": [{"operation": op, "rows": found} for op, found in sorted(operations.items())],
    }


def _differences(rows: dict, key: Key, status: int, shapes: dict[str, dict]) -> None:
    """Add to ROWS the fields and headers that differ between the engines' SHAPES of one request and status."""
    fields = {e: s.get("fields", {}) for e, s in shapes.items()}
    headers = {e: s.get("headers", {}) for e, s in shapes.items()}
    subjects = [(p, fields) for p in set().union(*fields.values())]
    subjects += [(name, headers) for name in set().union(*headers.values())]
    for subject, where in subjects:
        seen = {e: where[e].get(subject) for e in shapes}
        if where is fields:  # no items to compare, or a parent of its own row: no data, not "absent"
            seen = {e: k for e, k in seen.items() if k is not None or not _parent_missing(subject, where[e])}
        kinds = {comparable(k) if where is fields and k else k for k in seen.values()}
        if len(seen) < 2 or len(kinds) < 2:
            continue
        label = subject if where is fields else f"header {subject}"
        row = rows.setdefault((key[1], status, label), {"kinds": defaultdict(set), "tests": set()})
        for engine, kind in seen.items():
            row["kinds"][engine].add(kind or "absent")
        row["tests"].add(key[0])
