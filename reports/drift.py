"""The four drift views, computed from a run's results (which record what they need of the specs).

1. engine drift: fields that differ between engines (reports/upgrade.py: engines_view);
2. API-version drift: per engine and operation, fields that appear, go or change between versions;
3. spec drift: per operation, the response schemas of the spec versions involved, compared;
4. spec conformance: where responses disagreed with the spec of the version called.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from packaging.version import Version

from openapi.shapes import diff, schema_shape
from openapi.specs import set_versions


def api_drift(results: dict) -> list[dict]:
    """[{engine, operation, test, versions, missing, changes: [(version, "added"|"removed"|"changed", path, detail)]}]:
    the answers of one test to the same requests at several API versions; missing: the versions a sweep (a test
    that called 3 versions or more) did not reach between its first and the engine's own (it stopped early)."""
    own = {name: engine.get("api_version") for name, engine in results["engines"].items()}
    grouped: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for shape in results["shapes"]:
        if 200 <= int(shape["status"]) < 300:
            key = (shape["engine"], shape["operation"], shape.get("test", ""), shape.get("variant", ""))
            grouped[key][shape["api"]] = shape["fields"]
    views = []
    for (engine, operation, test, _), by_version in sorted(grouped.items()):
        versions = sorted(by_version, key=Version)
        if len(versions) < 2:
            continue
        last = own.get(engine) or versions[-1]
        missing = [
            v for v in set_versions() if Version(versions[0]) < Version(v) <= Version(last) and v not in versions
        ]
        missing = missing if len(versions) > 2 else []  # two versions are a comparison of two, not a sweep
        changes = _changes(by_version, versions)
        views.append(
            {
                "engine": engine,
                "operation": operation,
                "test": test,
                "versions": versions,
                "missing": missing,
                "changes": changes,
            }
        )
    return views


def _changes(shapes: dict[str, dict], versions: list[str]) -> list[tuple]:
    """(version, added|removed|changed, path, detail) from each version to the next."""
    changes = []
    for before, after in zip(versions, versions[1:], strict=False):
        delta = diff(shapes[before], shapes[after])
        changes += [(after, "added", path, "") for path in delta["added"]]
        changes += [(after, "removed", path, "") for path in delta["removed"]]
        changes += [(after, "changed", path, f"{old} → {new}") for path, old, new in delta["changed"]]
    return changes


def spec_shapes(results: dict, load_spec: Callable[[str], dict]) -> dict:
    """What the spec drift view needs, recorded in the results by whoever holds the specs (the run, or a merge
    given --spec-dir), so that a report reads only its results: {versions, missing, shapes: {version:
    {operation: fields}}}, the fields of each exercised operation's success-response schema in the spec of
    each API version involved, where they differ from the version before (the drift view compares consecutive
    versions: an unchanged shape adds nothing). load_spec(version) gives a spec dict (errata applied)."""
    exercised = sorted({s["operation"] for s in results["shapes"]})
    recorded: dict = {"versions": [], "missing": [], "shapes": {}}
    last: dict[str, dict] = {}  # operation -> its shape in the latest version that had it
    for version in sorted(set(results.get("versions", [])), key=Version):
        try:
            spec = load_spec(version)
        except Exception as error:  # a spec we cannot get is reported, not fatal to the report
            recorded["missing"].append(f"{version}: {error}")
            continue
        recorded["versions"].append(version)
        answers = {operation: _success_schema(spec, operation) for operation in exercised}
        recorded["shapes"][version] = {}
        for operation, schema in answers.items():
            shape = schema_shape(spec, schema) if schema is not False else None
            if shape is not None and shape != last.get(operation):  # unchanged since the last version: no change
                recorded["shapes"][version][operation] = last[operation] = shape
    return recorded


def _success_schema(spec: dict, operation: str) -> dict | None | bool:
    """The schema of an operation's first 2xx answer (None: no schema), False when the spec lacks the operation."""
    method, template = operation.split(" ", 1)
    answer = spec.get("paths", {}).get(template, {}).get(method.lower())
    if answer is None:
        return False
    codes = sorted(c for c in answer.get("responses", {}) if str(c).startswith("2"))
    return answer["responses"][codes[0]].get("schema") if codes else None


def merge_spec_shapes(parts: list[dict | None]) -> dict:
    """The spec shapes several runs recorded, as one."""
    merged: dict = {"versions": [], "missing": [], "shapes": {}}
    for part in filter(None, parts):
        for version, shapes in part["shapes"].items():
            merged["shapes"].setdefault(version, {}).update(shapes)
        merged["missing"] += [m for m in part["missing"] if m not in merged["missing"]]
    merged["versions"] = sorted(merged["shapes"], key=Version)
    merged["missing"] = [m for m in merged["missing"] if m.split(":", 1)[0] not in merged["shapes"]]
    return merged


def spec_drift(results: dict) -> dict:
    """{versions, operations: [{operation, changes: [(version, kind, path, detail)]}], missing}.

    Compares the success-response schemas of each exercised operation between consecutive API versions
    involved in the run, from the spec shapes the results recorded (spec_shapes).
    """
    recorded = results.get("spec_shapes") or {
        "versions": [],
        "missing": ["these results hold no spec shapes (recorded by runs since the spec drift view read them)"],
        "shapes": {},
    }
    operations = []
    for operation in sorted({s["operation"] for s in results["shapes"]}):
        shapes = {
            version: recorded["shapes"][version][operation]
            for version in recorded["versions"]
            if operation in recorded["shapes"][version]
        }
        changes = _changes(shapes, sorted(shapes, key=Version))
        if changes:
            operations.append({"operation": operation, "changes": changes})
    return {"versions": recorded["versions"], "operations": operations, "missing": recorded["missing"]}


def spec_conformance(results: dict) -> list[dict]:
    """[{engine, api, operation, path, expected, actual, baseline, tests}] disagreements with the spec."""
    found: dict[tuple, dict] = {}
    for test in results["tests"]:
        for m in test["schema_mismatches"]:
            key = (test["engine"], m["api"], m["operation"], m["path"])
            entry = found.setdefault(
                key,
                {
                    "engine": test["engine"],
                    "api": m["api"],
                    "operation": m["operation"],
                    "path": m["path"],
                    "expected": m["expected"],
                    "actual": m["actual"],
                    "baseline": m["baseline"],
                    "tests": 0,
                },
            )
            entry["tests"] += 1
    return [found[k] for k in sorted(found)]
