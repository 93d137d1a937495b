"""The four drift views, computed from a run's results (and the specs of the API versions involved).

1. engine drift: fields that differ between engines (reports/upgrade.py: engines_view);
2. API-version drift: per engine and operation, fields that appear, go or change between versions;
3. spec drift: per operation, the response schemas of the spec versions involved, compared;
4. spec conformance: where responses disagreed with the spec of the version called.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from packaging.version import Version

from openapi.shapes import diff, schema_shape


def api_drift(results: dict) -> list[dict]:
    """[{engine, operation, test, versions, missing, changes: [(version, "added"|"removed"|"changed", path, detail)]}]:
    the answers of one test to the same requests at several API versions; missing: the versions a sweep (a test
    that called 3 versions or more) did not reach between its first and the engine's own (it stopped early)."""
    from openapi.specs import set_versions

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


def spec_drift(results: dict, load_spec: Callable[[str], dict]) -> dict:
    """{versions, operations: [{operation, status, changes: [(version, kind, path, detail)]}], missing}.

    Compares the success-response schemas of each exercised operation between consecutive API
    versions involved in the run; load_spec(version) gives a spec dict (errata applied).
    """
    versions = sorted(set(results.get("versions", [])), key=Version)
    specs, missing = {}, []
    for version in versions:
        try:
            specs[version] = load_spec(version)
        except Exception as error:  # a spec we cannot get is reported, not fatal to the report
            missing.append(f"{version}: {error}")
    exercised = sorted({s["operation"] for s in results["shapes"]})
    operations = []
    present = [v for v in versions if v in specs]
    for operation in exercised:
        method, template = operation.split(" ", 1)
        shapes = {}
        for version in present:
            answer = specs[version].get("paths", {}).get(template, {}).get(method.lower())
            if answer is None:
                continue
            codes = sorted(c for c in answer.get("responses", {}) if str(c).startswith("2"))
            schema = answer["responses"][codes[0]].get("schema") if codes else None
            shapes[version] = schema_shape(specs[version], schema)
        changes = _changes(shapes, sorted(shapes, key=Version))
        if changes:
            operations.append({"operation": operation, "changes": changes})
    return {"versions": present, "operations": operations, "missing": missing}


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


def spec_loader(spec_dir: Path | None) -> Callable[[str], dict]:
    from openapi.specs import load_spec

    return lambda version: load_spec(version, spec_dir)
