"""The JSON results of a run: who the engines were and what every test found.

{"format": 1, "run": {...}, "engines": {NAME: identity}, "tests": [test], "shapes": [shape],
 "errata": [erratum id], "versions": [API versions involved], "specs": {API version: where its spec came from},
 "spec_fallbacks": ["API 1.52 judged with the 1.51 spec", for versions newer than every spec held]}

test:  {id, engine, transport, area, flow, case (a table-driven test's row), api_version, status, known, message,
        duration, schema_mismatches: [{operation, status, path, expected, actual, baseline}], curl}
       fuzz tests add fuzz (the operation's summary) and fuzz_findings; the reach of each engine and
       transport is a test of its own, test_reach, judged at the end of the run, with
       reach: {reached, operations, unsupported, target, unreached: [{operation, reason, detail, statuses}]}
shape: {engine, operation, status, api, test, variant, request, fields: {path: type}, values: {path: classes},
        headers: {name: value | "present"}}  (test: the test that saw it; variant: the request's query keys and
        the values that name a kind of request; request: one such request's path; values: the classes of values
        that are not per run, openapi.shapes.value_classes; headers: those a client reads; every answer of a
        scenario's call phase, fixtures/client/answers.py)
Status is one of STATUSES (reports/contract.py): harness trouble (Error) is kept apart from conformance failures (Fail),
and what an engine does not implement (Unsupported) apart from both.
"""

from __future__ import annotations

import json
from pathlib import Path

from packaging.version import Version

from reports.contract import DISABLED, ERROR, FAIL, HARNESS_PREFIX, PASS, STATUSES, UNSUPPORTED, UNSUPPORTED_PREFIX
from reports.coverage import combine
from reports.drift import merge_spec_shapes

FORMAT = 1
# Share of the operations fuzzed on an engine and transport that must reach a 2xx answer, per engine family
# (the name's part before "-"); operations of an area the engine does not implement are Unsupported, not fuzzed,
# and count neither way. Engines of no known family (external, image:REF) get REACH_TARGET_OTHER.
REACH_TARGETS = {"docker": 0.9, "podman": 0.8}
REACH_TARGET_OTHER = 0.8
# Why an operation never got a 2xx answer (reach.unreached[].reason)
LACKS, REFUSED, SPEC = "needs an object it lacks", "always refused by the engine", "spec error"


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


def reach_target(engine: str) -> float:
    """The reach an engine must make: its family's (docker-28.5: docker)."""
    return REACH_TARGETS.get(engine.split("-", 1)[0], REACH_TARGET_OTHER)


def reach(tests: list[dict]) -> list[dict]:
    """One test record per engine and transport that fuzzed operations: Fail below its family's target.

    The share counts the operations fuzzed (tests with a fuzz summary); those the engine does not implement
    (Unsupported, no summary) drop out. Judged from the records of the whole run (every xdist worker's), not
    from one process's memory.
    """
    fuzzed: dict[tuple[str, str], list[dict]] = {}
    unsupported: dict[tuple[str, str], int] = {}
    for test in tests:
        if test["flow"] != "test_operation":  # test_stateful runs sequences, not operations
            continue
        key = (test["engine"], test["transport"])
        if test.get("fuzz"):
            fuzzed.setdefault(key, []).append(test)
        elif test["status"] == UNSUPPORTED:
            unsupported[key] = unsupported.get(key, 0) + 1
    return [
        _reach_record(engine, transport, group, unsupported.get((engine, transport), 0))
        for (engine, transport), group in sorted(fuzzed.items())
    ]


def unreached(fuzz: dict) -> dict:
    """Why an operation's cases never got a 2xx answer, from its fuzz summary: {operation, reason, detail,
    statuses}. reason: LACKS (the fuzz world could not make an object it needs, or every answer was 404 for
    an id path), SPEC (no valid case could be generated, or success is not a 2xx answer), REFUSED (the
    engine answered only other 4xx/5xx: statuses say which)."""
    operation = fuzz["operation"]
    statuses = {k: v for k, v in fuzz.get("statuses", {}).items() if k.isdigit()}  # its own method's answers
    refusals = sorted({int(k) for k in statuses} - {404})
    hint = fuzz.get("unreachable")  # [class, reason]: what the harness knows it cannot give this operation
    no_valid = [n for n in fuzz.get("notes", []) if n.startswith("positive")]
    if fuzz.get("lacks"):
        reason, detail = LACKS, "; ".join(f"{kind}: {why}" for kind, why in sorted(fuzz["lacks"].items()))
    elif hint:
        reason, detail = (LACKS if hint[0] == "lacks" else SPEC), hint[1]
    elif any(100 <= int(k) < 200 for k in statuses):
        reason, detail = SPEC, "it answered 1xx (a protocol switch) where a 2xx would count"
    elif no_valid:
        reason, detail = SPEC, "no valid case could be generated: " + "; ".join(no_valid)
    elif statuses and not refusals and "{" in operation:
        reason, detail = LACKS, "every answer was 404: no case named an object the engine has"
    elif statuses and not refusals:
        reason, detail = REFUSED, "answered only 404"
    elif refusals:
        also = " (and 404 where a case named no object)" if "404" in statuses else ""
        reason, detail = REFUSED, "answered only " + ", ".join(map(str, refusals)) + also
    else:
        reason, detail = REFUSED, "no answer: " + (", ".join(sorted(fuzz.get("statuses", {}))) or "no case sent")
    return {"operation": operation, "reason": reason, "detail": detail, "statuses": statuses}


def _reach_record(engine: str, transport: str, group: list[dict], unsupported: int = 0) -> dict:
    missed = sorted((t["fuzz"] for t in group if not t["fuzz"]["reached_2xx"]), key=lambda f: f["operation"])
    reached = len(group) - len(missed)
    whole = max(t["fuzz"].get("spec_operations", 0) for t in group)
    target = reach_target(engine)
    passed = reached >= target * len(group)
    message = f"{reached}/{len(group)} operations reached 2xx (target {target:.0%}); never: " + ", ".join(
        f["operation"] for f in missed
    )
    if len(group) + unsupported < whole:  # a selection (-k): reported, judged only on runs of the whole spec
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
        "reach": {
            "reached": reached,
            "operations": len(group),
            "unsupported": unsupported,
            "target": target,
            "unreached": [unreached(f) for f in missed],
        },
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
        "spec_fallbacks": [],
    }
    tests: dict[str, dict] = {}
    shapes: dict[tuple, dict] = {}
    for part in parts:
        tests.update((t["id"], t) for t in part["tests"])
        shapes.update((shape_key(s), s) for s in part["shapes"])
        merged["engines"].update(part["engines"])
        merged["specs"].update(part.get("specs", {}))  # API version -> where its spec came from
        merged["errata"] = sorted(set(merged["errata"]) | set(part.get("errata", [])))
        merged["spec_fallbacks"] = sorted(set(merged["spec_fallbacks"]) | set(part.get("spec_fallbacks", [])))
        merged["versions"] = sorted(set(merged["versions"]) | set(part.get("versions", [])), key=Version)
    merged["tests"], merged["shapes"] = list(tests.values()), list(shapes.values())
    merged["coverage"] = combine([p.get("coverage") for p in parts])
    merged["spec_shapes"] = merge_spec_shapes([p.get("spec_shapes") for p in parts])
    return merged


def shape_key(shape: dict) -> tuple:
    """What a shape record is of: the answers of one engine to one test's requests of one operation, variant (the
    query), API version and status."""
    return (
        shape["engine"],
        shape["operation"],
        shape["status"],
        shape["api"],
        shape.get("test", ""),
        shape.get("variant", ""),
    )


def summary(results: dict) -> dict[str, dict[str, dict[str, int]]]:
    """engine -> area -> status -> count."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for test in results["tests"]:
        counts = table.setdefault(test["engine"], {}).setdefault(test["area"], dict.fromkeys(STATUSES, 0))
        counts[test["status"]] += 1
    return table
