"""The run's verdict per engine, and failure cards: what the top of the report and the terminal say.

An engine PASSes when it has no new deviation (a failure its baseline does not expect, or a
baseline entry the engine no longer needs) and no harness error; known deviations (in the
baseline) are counted apart, and only new ones are red.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections import defaultdict

from reports.contract import (
    CLIENT,
    CLIENT_VERSION,
    DISABLED,
    ERROR,
    FAIL,
    GONE_PREFIX,
    HARNESS_PREFIX,
    PASS,
    STEP,
    UNSUPPORTED,
)


def _kind(test: dict) -> str:
    """new | known | stale (a baseline entry that passed) | pass | unsupported | disabled | error | gone."""
    status = test["status"]
    if status == FAIL:
        return "known" if test["known"] else "new"
    if status == PASS:
        return "stale" if test["known"] else "pass"
    if status == ERROR:
        return "gone" if test["message"].removeprefix(HARNESS_PREFIX).startswith(GONE_PREFIX) else "error"
    return {UNSUPPORTED: "unsupported", DISABLED: "disabled"}[status]


def engine_verdicts(results: dict) -> list[dict]:
    """Per engine: verdict, counts per kind, new tests and operations, known ones, the next step."""
    by_engine: dict[str, list[dict]] = defaultdict(list)
    for test in results["tests"]:
        by_engine[test["engine"] or "-"].append(test)
    verdicts = []
    for engine, tests in sorted(by_engine.items()):
        counts = dict.fromkeys(("pass", "new", "stale", "known", "unsupported", "disabled", "error", "gone"), 0)
        for test in tests:
            counts[_kind(test)] += 1
        new_tests = sorted({t["flow"] for t in tests if _kind(t) in ("new", "stale")})
        new_operations = sorted(
            {m["operation"] for t in tests for m in t["schema_mismatches"] if not m["baseline"]}
            | {f["operation"] for t in tests for f in t.get("fuzz_findings", []) if not f["baseline"]}
        )
        known_tests = sorted({t["flow"] for t in tests if _kind(t) == "known"})
        gone = next((t["message"].removeprefix(HARNESS_PREFIX) for t in tests if _kind(t) == "gone"), None)
        failed = counts["new"] or counts["stale"] or counts["error"] or counts["gone"]
        steps = []
        if counts["new"]:
            steps.append(
                "file the new deviations with the engine (or fix the harness), or review them and accept them "
                "with `python -m reports baseline RESULTS.json --write`"
            )
        if counts["stale"]:
            steps.append(f"remove the baseline entries {engine} no longer needs from suites/baselines/{engine}.yaml")
        if counts["error"]:
            steps.append("harness errors: the suite could not judge these tests; see their cards")
        if gone:
            steps.append(f"the engine stopped answering: {gone}")
        verdicts.append(
            {
                "engine": engine,
                "verdict": "FAIL" if failed else "PASS",
                "counts": counts,
                "total": len(tests),
                "new_tests": new_tests,
                "new_operations": new_operations,
                "known_tests": known_tests,
                "gone": gone,
                "steps": steps or ["nothing to do"],
            }
        )
    return verdicts


def verdict_lines(results: dict) -> list[str]:
    """The terminal's verdict: one block per engine."""
    lines = []
    for v in engine_verdicts(results):
        c = v["counts"]
        lines.append(
            f"{v['engine']}: {v['verdict']}  {c['pass']} passed, {c['new'] + c['stale']} new deviations, "
            f"{c['known']} known, {c['unsupported']} unsupported, {c['error']} harness errors"
            + (f", {c['gone']} not run (engine gone)" if c["gone"] else "")
        )
        if v["new_tests"]:
            lines.append(f"  new: {', '.join(v['new_tests'])}")
        if v["new_operations"]:
            lines.append(f"  new in operations: {', '.join(v['new_operations'])}")
        if v["known_tests"]:
            lines.append(f"  known: {', '.join(v['known_tests'])}")
        lines += [f"  next: {step}" for step in v["steps"] if step != "nothing to do"]
    return lines


def as_json(text: str) -> str:
    """A value the validator wrote as a Python repr ("None", "''", "enum ['a', 'b']"), as JSON."""
    if text is None:
        return "null"
    for head, tail in ((None, text), *([tuple(text.split(" ", 1))] if " " in text else [])):
        try:
            value = json.dumps(ast.literal_eval(tail))
        except (ValueError, SyntaxError, TypeError):
            continue
        return value if head is None else f"{head} {value}"
    return text


_PLACEHOLDERS = (
    ("--unix-socket", "DOCKER_SOCK", None),
    ("--cacert", "DOCKER_CERT_PATH", "ca.pem"),
    ("--cert", "DOCKER_CERT_PATH", "cert.pem"),
    ("--key", "DOCKER_CERT_PATH", "key.pem"),
)
_ADDRESS = re.compile(r"^(https?://)(127\.0\.0\.1:\d+|\[::1\]:\d+|localhost:\d+)(/.*)$")


def portable_curl(curl: str | None) -> dict | None:
    """{command, values}: the run's socket, certificate directory and address as $VARIABLES (teardown
    removed them), with the run's values apart, so that the command works against any engine."""
    if not curl:
        return None
    try:
        words = shlex.split(curl)
    except ValueError:
        return {"command": curl, "values": {}}
    values: dict[str, str] = {}
    out = []
    for index, word in enumerate(words):
        option = words[index - 1] if index else ""
        placeholder = next((p for p in _PLACEHOLDERS if p[0] == option), None)
        address = _ADDRESS.match(word)
        if placeholder:
            _, name, file = placeholder
            values[name] = word.rsplit("/", 1)[0] if file else word
            out.append(f'"${name}/{file}"' if file else f'"${name}"')
        elif address:
            values["DOCKER_ADDR"] = address.group(2)
            rest = address.group(3).replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
            out.append(f'"{address.group(1)}$DOCKER_ADDR{rest}"')
        else:
            out.append(shlex.quote(word))
    return {"command": " ".join(out), "values": values}


def failure_cards(results: dict) -> list[dict]:
    """One card per engine, test and cause, the transports it failed on grouped: new ones first."""
    groups: dict[tuple, dict] = {}
    for index, test in enumerate(results["tests"]):
        kind = _kind(test)
        if kind in ("pass", "unsupported", "disabled"):
            continue
        cause = test.get("cause") or [line for line in test["message"].splitlines() if line.strip()]
        client = f"{test[CLIENT]} {test.get(CLIENT_VERSION) or ''}".strip() if test.get(CLIENT) else None
        key = (test["engine"], test["flow"], client, kind, tuple(cause))
        card = groups.get(key)
        if card is None:
            card = groups[key] = {
                "anchor": f"t{index}",
                "anchors": [],
                "engine": test["engine"],
                "flow": test["flow"],
                "client": client,  # a real client's test: which client, and the step that failed
                "step": test.get(STEP),
                "area": test["area"],
                "kind": kind,
                "status": test["status"],
                "id": test["id"],
                "cause": cause,
                "mismatches": [
                    {
                        "operation": m["operation"],
                        "status": m.get("status", ""),
                        "path": m["path"] or "/",
                        "expected": as_json(m["expected"]),
                        "actual": as_json(m["actual"]),
                        "known": m["baseline"],
                    }
                    for m in test["schema_mismatches"]
                ],
                "exchange": test.get("exchange"),
                "curl": portable_curl(test.get("curl")),
                "transports": [],
            }
        card["anchors"].append(f"t{index}")
        card["transports"].append(test["transport"] or "—")
    order = {"new": 0, "stale": 1, "gone": 2, "error": 3, "known": 4}
    cards = sorted(groups.values(), key=lambda c: (order[c["kind"]], c["engine"] or "", c["flow"]))
    for card in cards:  # the new mismatches of a card before its known ones
        card["mismatches"].sort(key=lambda m: m["known"])
    return cards
