"""The JSON results of a run: who the engines were and what every test found.

{"format": 1, "run": {...}, "engines": {NAME: identity}, "tests": [test], "shapes": [shape],
 "errata": [erratum id], "versions": [API versions involved], "specs": {API version: where its spec came from}}

test:  {id, engine, transport, area, flow, api_version, status, known, message, duration,
        schema_mismatches: [{operation, status, path, expected, actual, baseline}], curl}
       fuzz tests add fuzz (the operation's summary) and fuzz_findings; the reach of each engine and
       transport is a test of its own, test_reach, judged at the end of the run, with reach: {reached, operations}
shape: {engine, operation, status, api, test, fields: {path: type}}  (test: the test that saw it)
Status is one of STATUSES: harness trouble (Error) is kept apart from conformance failures (Fail),
and what an engine does not implement (Unsupported) apart from both.
"""

from __future__ import annotations

import json
from pathlib import Path

from packaging.version import Version

FORMAT = 1
PASS, FAIL, UNSUPPORTED, DISABLED, ERROR = "Pass", "Fail", "Unsupported", "Disabled", "Error"
STATUSES = (PASS, FAIL, UNSUPPORTED, DISABLED, ERROR)
UNSUPPORTED_PREFIX = "unsupported: "
HARNESS_PREFIX = "harness: "
REACH_TARGET = 0.7  # share of the operations fuzzed on an engine and transport that must reach a 2xx answer


class ResultsError(ValueError):
    pass


def status_of(outcome: str, when: str, message: str, xfail: bool, assertion: bool = True) -> tuple[str, bool]:
    """(status, known): the status of a test from its worst report, and whether a baseline expected it.

    outcome/when are pytest's (passed|failed|skipped, setup|call|teardown); xfail marks a baseline
    entry (an expected failure, or a strict one that passed: the engine fixed it); assertion says the
    failure was an assertion (an exception in a fixture is the harness's trouble).
    """
    if outcome == "skipped" and xfail:
        return FAIL, True
    if outcome == "skipped":
        return (UNSUPPORTED if message.startswith(UNSUPPORTED_PREFIX) else DISABLED), False
    if outcome == "passed":
        return PASS, False
    if xfail:  # a strict xfail that passed: the engine now conforms, the baseline entry is stale
        return PASS, True
    if message.startswith(HARNESS_PREFIX) or (when != "call" and not assertion):
        return ERROR, False
    return FAIL, False


def reach(tests: list[dict]) -> list[dict]:
    """One test record per engine and transport that fuzzed operations: Fail below REACH_TARGET.

    Judged from the records of the whole run (every xdist worker's), not from one process's memory.
    """
    fuzzed: dict[tuple[str, str], list[dict]] = {}
    for test in tests:
        if test.get("fuzz") and test["flow"] == "test_operation":  # test_stateful runs sequences, not operations
            fuzzed.setdefault((test["engine"], test["transport"]), []).append(test)
    return [_reach_record(engine, transport, group) for (engine, transport), group in sorted(fuzzed.items())]


def _reach_record(engine: str, transport: str, group: list[dict]) -> dict:
    missed = sorted(t["fuzz"]["operation"] for t in group if not t["fuzz"]["reached_2xx"])
    reached = len(group) - len(missed)
    whole = max(t["fuzz"].get("spec_operations", 0) for t in group)
    passed = reached >= REACH_TARGET * len(group)
    message = f"{reached}/{len(group)} operations reached 2xx (target {REACH_TARGET:.0%}); never: {', '.join(missed)}"
    if len(group) < whole:  # a selection (-k): reported, judged only on runs of the whole spec
        status, message = DISABLED, f"{message}; judged only when all {whole} operations are fuzzed"
    else:
        status, message = (PASS, "") if passed else (FAIL, message)
    return {
        "id": f"suites/test_fuzz.py::test_reach[{engine}-{transport}]",
        "engine": engine,
        "transport": transport,
        "area": "fuzz",
        "flow": "test_reach",
        "api_version": group[0]["api_version"],
        "status": status,
        "known": False,
        "message": message,
        "duration": 0.0,
        "schema_mismatches": [],
        "curl": None,
        "reach": {"reached": reached, "operations": len(group)},
    }


def write(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, sort_keys=True))


def load(path: str | Path) -> dict:
    """Results from a file, or a one-line ResultsError that says what is wrong."""
    try:
        results = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such results file (runs write reports/output/results.json)") from None
    except (OSError, ValueError) as error:
        raise ResultsError(f"{path}: not a results file ({error})") from None
    if not isinstance(results, dict) or results.get("format") != FORMAT:
        raise ResultsError(f"{path}: not a results file of format {FORMAT}")
    return results


def merge(parts: list[dict]) -> dict:
    """One result set from runs on separate jobs or machines; a test run twice: the later run's result."""
    merged = {
        "format": FORMAT,
        "run": {"merged_from": [p["run"] for p in parts]},
        "engines": {},
        "tests": [],
        "shapes": [],
        "errata": [],
        "versions": [],
        "specs": {},
    }
    tests: dict[str, dict] = {}
    shapes: dict[tuple, dict] = {}
    for part in parts:
        tests.update((t["id"], t) for t in part["tests"])
        shapes.update(
            ((s["engine"], s["operation"], s["status"], s["api"], s.get("test", "")), s) for s in part["shapes"]
        )
        merged["engines"].update(part["engines"])
        merged["specs"].update(part.get("specs", {}))  # API version -> where its spec came from
        merged["errata"] = sorted(set(merged["errata"]) | set(part.get("errata", [])))
        merged["versions"] = sorted(set(merged["versions"]) | set(part.get("versions", [])), key=Version)
    merged["tests"], merged["shapes"] = list(tests.values()), list(shapes.values())
    from reports.coverage import combine

    merged["coverage"] = combine([p.get("coverage") for p in parts])
    return merged


def summary(results: dict) -> dict[str, dict[str, dict[str, int]]]:
    """engine -> area -> status -> count."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for test in results["tests"]:
        counts = table.setdefault(test["engine"], {}).setdefault(test["area"], dict.fromkeys(STATUSES, 0))
        counts[test["status"]] += 1
    return table
