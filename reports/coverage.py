"""API coverage: every request of a run matched to its spec operation.

The calls come from the tests' reports (the client plugin records method, path, status and the
pytest phase of each call), or, for runs made before that, from the run's transcript files.
A scenario covers an operation when a test of the suites (not the fuzz suite) calls it in its
call phase; a request a fixture sends while setting a test up or tearing it down does not count.
The fuzz suite reaches an operation when any of its cases calls it. An operation is checked when an
answer to it was checked against the spec where it was received (fixtures/client/conformity.py), in
any phase. Totals are of the spec of the newest API version (107 operations at 1.51).

coverage in results.json: {"spec": API version, "operations": N,
  "calls": {OPERATION: {"tests": [...], "statuses": [...], "engines": [...], "transports": [...],
                        "scenario": bool, "fuzz": bool, "checked": bool}}, "unmatched": [METHOD PATH]}
"""

from __future__ import annotations

from pathlib import Path

from openapi.operations import match, operations
from reports.contract import parse_line


def measure(calls: list[dict], spec: dict, version: str) -> dict:
    """calls: [{method, path, status, engine, transport, test, phase, checked}] -> coverage (see module doc)."""
    ops = operations(spec)
    found: dict[str, dict] = {}
    unmatched = set()
    for call in calls:
        operation = match(call["method"], call["path"], ops)
        if operation is None:
            unmatched.add(f"{call['method']} {call['path'].split('?', 1)[0]}")
            continue
        entry = found.setdefault(
            operation,
            {
                "tests": set(),
                "statuses": set(),
                "engines": set(),
                "transports": set(),
                "scenario": False,
                "fuzz": False,
                "checked": False,
            },
        )
        fuzz = "test_fuzz.py::" in call["test"]
        entry["tests"].add(call["test"].split("[", 1)[0])
        entry["statuses"].add(int(call["status"]))
        entry["engines"].add(call["engine"])
        entry["transports"].add(call["transport"])
        entry["fuzz"] |= fuzz
        entry["scenario"] |= not fuzz and call.get("phase", "call") == "call" and call["test"].startswith("suites/")
        entry["checked"] |= bool(call.get("checked"))
    return {
        "spec": version,
        "operations": len(ops),
        "calls": {op: {k: sorted(v) if isinstance(v, set) else v for k, v in e.items()} for op, e in found.items()},
        "unmatched": sorted(unmatched),
    }


def combine(parts: list[dict]) -> dict | None:
    """The coverage of merged runs: the union of their calls."""
    parts = [p for p in parts if p]
    if not parts:
        return None
    calls: dict[str, dict] = {}
    for part in parts:
        for op, entry in part["calls"].items():
            into = calls.setdefault(op, {k: ([] if isinstance(v, list) else False) for k, v in entry.items()})
            for key, value in entry.items():
                into[key] = sorted(set(into[key]) | set(value)) if isinstance(value, list) else into.get(key) or value
    return {
        "spec": max(p["spec"] for p in parts),
        "operations": max(p["operations"] for p in parts),
        "calls": calls,
        "unmatched": sorted({u for p in parts for u in p["unmatched"]}),
    }


def totals(coverage: dict) -> dict:
    calls = coverage["calls"].values()
    return {
        "scenario": sum(1 for e in calls if e["scenario"]),
        "fuzz": sum(1 for e in calls if e["fuzz"]),
        "checked": sum(1 for e in calls if e.get("checked")),
        "operations": coverage["operations"],
    }


def uncovered(coverage: dict, spec: dict) -> list[str]:
    """Operations of the spec no scenario covered."""
    every = sorted({f"{op[0]} {op[1]}" for op in operations(spec)})
    return [op for op in every if not coverage["calls"].get(op, {}).get("scenario")]


def unchecked(coverage: dict, spec: dict) -> list[str]:
    """Operations of the spec a scenario covered whose answers none was checked against the spec where received."""
    every = sorted({f"{op[0]} {op[1]}" for op in operations(spec)})
    calls = coverage["calls"]
    return [op for op in every if calls.get(op, {}).get("scenario") and not calls[op].get("checked")]


def transcript_calls(path: Path) -> list[dict]:
    """The calls of a transcript file (first line of each block); the phase is not in it: "call"."""
    calls = []
    for line in path.read_text(errors="replace").splitlines():
        call = parse_line(line)
        if call:
            calls.append(
                {
                    "method": call.method,
                    "path": call.path,
                    "status": call.status,
                    "engine": call.engine,
                    "transport": call.transport,
                    "test": call.test,
                    "phase": "call",
                }
            )
    return calls
