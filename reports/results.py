"""The JSON results of a run: who the engines were and what every test found.

{"format": 1, "run": {...}, "engines": {NAME: identity}, "tests": [test], "shapes": [shape],
 "errata": [erratum id], "versions": [API versions involved]}

test:  {id, engine, transport, area, flow, api_version, status, known, message, duration,
        schema_mismatches: [{operation, status, path, expected, actual, baseline}], curl}
shape: {engine, operation, status, api, fields: {path: type}}
Status is one of STATUSES: harness trouble (Error) is kept apart from conformance failures (Fail),
and what an engine does not implement (Unsupported) apart from both.
"""
from __future__ import annotations

import json
from pathlib import Path

FORMAT = 1
PASS, FAIL, UNSUPPORTED, DISABLED, ERROR = "Pass", "Fail", "Unsupported", "Disabled", "Error"
STATUSES = (PASS, FAIL, UNSUPPORTED, DISABLED, ERROR)
UNSUPPORTED_PREFIX = "unsupported: "
HARNESS_PREFIX = "harness: "


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
    merged = {"format": FORMAT, "run": {"merged_from": [p["run"] for p in parts]}, "engines": {}, "tests": [],
              "shapes": [], "errata": [], "versions": []}
    tests: dict[str, dict] = {}
    shapes: dict[tuple, dict] = {}
    for part in parts:
        tests.update((t["id"], t) for t in part["tests"])
        shapes.update(((s["engine"], s["operation"], s["status"], s["api"]), s) for s in part["shapes"])
        merged["engines"].update(part["engines"])
        merged["errata"] = sorted(set(merged["errata"]) | set(part.get("errata", [])))
        merged["versions"] = sorted(set(merged["versions"]) | set(part.get("versions", [])),
                                    key=lambda v: tuple(int(x) for x in v.split(".")))
    merged["tests"], merged["shapes"] = list(tests.values()), list(shapes.values())
    return merged


def summary(results: dict) -> dict[str, dict[str, dict[str, int]]]:
    """engine -> area -> status -> count."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for test in results["tests"]:
        counts = table.setdefault(test["engine"], {}).setdefault(test["area"], dict.fromkeys(STATUSES, 0))
        counts[test["status"]] += 1
    return table
