"""The upgrade gate: a candidate's results against a baseline's.

Regressions fail the gate unless the allow file accepts them with a reason: a test that passed and
no longer does, a new harness error, and a response field the baseline run returned that the
candidate does not return (or returns with another type) in its answer to the same request (test,
operation, query, status; reports/upgrade.py, whose view of the pair this is): for the clients being
protected, a field that disappears is a breaking change even where the spec calls it optional. Fixes,
added fields, the upgrade view's other changes and new spec mismatches are printed, not gated.

A field counts as removed only where the candidate returned its parent: a list that came back
empty has no items to compare, and a removed object is reported once, not once per field in it.

Allow file (YAML): [{test: "suites/test_x.py::test_y[{engine}-tcp]" (fnmatch pattern, {engine}
for the engine's name), reason: "..."}, {field: "GET /containers/json 200 /*/Names" (fnmatch
pattern over operation, status and field path), reason: "..."}]
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reports import upgrade
from reports.contract import ERROR, FAIL, PASS, UNSUPPORTED
from reports.results import ResultsError


@dataclass
class Comparison:
    pairs: list[tuple[str, str]]
    regressions: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    harness_errors: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    new_mismatches: list[str] = field(default_factory=list)
    shape_drift: list[str] = field(default_factory=list)  # fields added, other changes: reported, not gated
    removed_fields: list[str] = field(default_factory=list)  # fields removed or retyped: gated
    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def gate_fails(self) -> bool:
        return bool(self.regressions or self.harness_errors or self.removed_fields)

    def lines(self) -> list[str]:
        pairs = ", ".join(f"{a} -> {b}" for a, b in self.pairs)
        out = [f"compare: {pairs}"]
        for title, items in (
            ("REGRESSION", self.regressions),
            ("NEW HARNESS ERROR", self.harness_errors),
            ("REMOVED FIELD", self.removed_fields),
            ("allowed", self.allowed),
            ("fixed", self.fixes),
            ("new spec mismatch", self.new_mismatches),
            ("drift", self.shape_drift),
            ("new test", self.added),
            ("not run", self.missing),
        ):
            out += [f"{title}: {item}" for item in items]
        verdict = "FAIL" if self.gate_fails else "PASS"
        out.append(
            f"gate: {verdict} ({len(self.regressions)} regressions, {len(self.harness_errors)} new harness "
            f"errors, {len(self.removed_fields)} removed or retyped fields, {len(self.allowed)} allowed, "
            f"{len(self.fixes)} fixes, {len(self.new_mismatches)} new "
            f"spec mismatches, {len(self.shape_drift)} added fields and other changes)"
        )
        return out


def load_allow(path: str | Path | None) -> list[dict]:
    if path is None:
        return []
    try:
        entries = yaml.safe_load(Path(path).read_text()) or []
    except (OSError, yaml.YAMLError) as error:
        raise ResultsError(f"{path}: cannot read the allow file ({error})") from None
    for entry in entries if isinstance(entries, list) else [None]:
        if not isinstance(entry, dict) or not (entry.get("test") or entry.get("field")) or not entry.get("reason"):
            raise ResultsError(f"{path}: every allow entry needs a test or field pattern and a reason: {entry}")
    return entries


def only_engine(results: dict, engine: str) -> dict:
    """The results of one engine of a run of several (a matrix run), to compare it with another."""
    if engine not in {t["engine"] for t in results["tests"]}:
        raise ResultsError(f"no results of {engine} in this file: name an engine it holds")
    return {
        **results,
        "engines": {name: e for name, e in results["engines"].items() if name == engine},
        "tests": [t for t in results["tests"] if t["engine"] == engine],
        "shapes": [s for s in results.get("shapes", []) if s["engine"] == engine],
    }


def _pairs(baseline: dict, candidate: dict) -> list[tuple[str, str]]:
    old = sorted({t["engine"] for t in baseline["tests"]})
    new = sorted({t["engine"] for t in candidate["tests"]})
    common = [e for e in old if e in new]
    if common:
        return [(e, e) for e in common]
    if len(old) == 1 and len(new) == 1:  # an upgrade: one engine against its successor
        return [(old[0], new[0])]
    raise ResultsError(
        f"cannot pair engines {old} with {new}: compare results of the same engines, or of one engine each"
    )


def _by_test(results: dict, engine: str) -> dict[str, dict]:
    return {t["id"].replace(engine, "{engine}"): t for t in results["tests"] if t["engine"] == engine}


def compare(baseline: dict, candidate: dict, allow: list[dict] = ()) -> Comparison:
    result = Comparison(_pairs(baseline, candidate))
    for old_engine, new_engine in result.pairs:
        old, new = _by_test(baseline, old_engine), _by_test(candidate, new_engine)
        for key in sorted(old.keys() | new.keys()):
            before, after = old.get(key), new.get(key)
            if after is None:
                result.missing.append(key.replace("{engine}", new_engine))
                continue
            name = key.replace("{engine}", new_engine)
            if before is None:
                result.added.append(f"{name}: {after['status']}")
                continue
            was, now = before["status"], after["status"]
            if now == ERROR and was != ERROR:
                result.harness_errors.append(f"{name}: {after['message'][:200]}")
            elif was == PASS and now in (FAIL, UNSUPPORTED):
                reason = next((a["reason"] for a in allow if fnmatch.fnmatchcase(key, a.get("test") or "")), None)
                line = f"{name}: {was} -> {now}: {after['message'][:200]}"
                (result.allowed if reason else result.regressions).append(
                    line + (f" [allowed: {reason}]" if reason else "")
                )
            elif was in (FAIL, ERROR) and now == PASS:
                result.fixes.append(f"{name}: {was} -> {now}")
        result.new_mismatches += _new_mismatches(baseline, candidate, old_engine, new_engine)
        added, removed = _shape_drift(baseline, candidate, old_engine, new_engine)
        result.shape_drift += added
        for line in removed:
            key = line.split(": ")[0].replace(" -/", " /", 1)  # "GET /x 200 /*/Names"
            reason = next((a["reason"] for a in allow if fnmatch.fnmatchcase(key, a.get("field") or "")), None)
            (result.allowed if reason else result.removed_fields).append(
                f"{new_engine} {line}" + (f" [allowed: {reason}]" if reason else "")
            )
    return result


def _mismatch_keys(results: dict, engine: str) -> set[tuple[str, str, str]]:
    return {
        (m["operation"], m["path"], m["expected"])
        for t in results["tests"]
        if t["engine"] == engine
        for m in t["schema_mismatches"]
    }


def _new_mismatches(baseline: dict, candidate: dict, old_engine: str, new_engine: str) -> list[str]:
    new = _mismatch_keys(candidate, new_engine) - _mismatch_keys(baseline, old_engine)
    return [f"{new_engine} {operation} {path}: spec says {expected}" for operation, path, expected in sorted(new)]


def _shape_drift(baseline: dict, candidate: dict, old_engine: str, new_engine: str) -> tuple[list[str], list[str]]:
    """(drift lines, removed or retyped lines): the upgrade view's changes (reports/upgrade.py), answers to the
    same request compared (test, operation, query), so both say the same."""
    added, removed = [], []
    for entry in upgrade.changes(baseline, old_engine, candidate, new_engine)["changes"]:
        where = f"{entry['operation']} {entry['status']}" if entry["status"] else entry["operation"]
        seen = f"; seen in {', '.join(entry['tests'])}" if any(entry["tests"]) else ""
        kind, subject, before, after = entry["kind"], entry["subject"], entry["before"], entry["after"]
        if kind == "removed":
            removed.append(f"{where} -{subject}: returned by {old_engine} ({before}), not by {new_engine}{seen}")
        elif kind == "retyped":
            removed.append(f"{where} {subject}: type {before} -> {after}{seen}")
        elif kind == "added":
            added.append(f"{where} +{subject}")
        else:
            added.append(f"{where} {kind} {subject}: {before or '-'} -> {after or '-'}{seen}")
    return added, removed
