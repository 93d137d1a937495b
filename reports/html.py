"""The report's own sections: the engine x area matrix first, then drill-down, failures, drift.

The same HTML goes into the pytest-html report of a run and into the page `python -m reports merge`
writes. The markup is in templates/*.html.j2 (Jinja2, autoescaped); this module only turns a
results dict into the plain lists and dicts those templates lay out.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import jinja2

from openapi.errata import ERRATA
from reports import drift, upgrade, verdict
from reports.contract import CLIENT, CLIENT_VERSION, DISABLED, ERROR, FAIL, PASS, STEPS, UNSUPPORTED
from reports.coverage import totals
from reports.results import summary

SYMBOL = {PASS: "✓", FAIL: "✗", UNSUPPORTED: "U", DISABLED: "–", ERROR: "E"}
CELL = {PASS: "good", FAIL: "bad", UNSUPPORTED: "none", DISABLED: "none", ERROR: "err"}
SEVERITY = [PASS, DISABLED, UNSUPPORTED, FAIL, ERROR]  # a flow's cell shows its worst test
ROW_LIMIT = 200  # per drift table: a report must stay readable
REASON_CHARS = 90  # of a Disabled or Unsupported client cell's reason


@cache
def _environment() -> jinja2.Environment:
    # autoescape=True for every template, whatever its name: the report holds strings engines and
    # tests made, and none of them may become markup. StrictUndefined: a misspelt field fails loudly.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _sections():
    """The macros of sections.html.j2, callable from Python."""
    return _environment().get_template("sections.html.j2").module


def _cell(text, css: str = "") -> dict:
    return {"text": str(text), "css": css}


def _ratio(counts: dict[str, int], known: int = 0) -> tuple[str, str]:
    """passed/judged, and its colour: red only for what is new (a failure no baseline expects, an
    error), amber when every failure is a known one, green when all passed."""
    judged = counts[PASS] + counts[FAIL] + counts[ERROR]
    if not judged:
        return ("unsupported" if counts[UNSUPPORTED] else "–"), "none"
    text = f"{counts[PASS]}/{judged}"
    if known:
        text += f" ({known} known)"
    if counts[ERROR]:
        text += f" ({counts[ERROR]} E)"
    if counts[ERROR] or counts[FAIL] > known:
        return text, "bad"
    return text, "known" if known else "good"


def _known(results: dict) -> dict[tuple[str, str], int]:
    """(engine, area) -> failures the baseline expects."""
    known: dict[tuple[str, str], int] = defaultdict(int)
    for test in results["tests"]:
        if test["status"] == FAIL and test["known"]:
            known[(test["engine"], test["area"])] += 1
    return known


def _areas(table: dict) -> list[str]:
    return sorted({area for areas in table.values() for area in areas})


def matrix_text(results: dict) -> list[str]:
    table = summary(results)
    known = _known(results)
    areas = _areas(table)
    width = max([len(e) for e in table] + [6])
    lines = [" " * width + "".join(f"{a[:15]:>16}" for a in areas)]
    for engine in sorted(table):
        cells = [_ratio(table[engine][a], known[(engine, a)])[0] if a in table[engine] else "" for a in areas]
        lines.append(f"{engine:<{width}}" + "".join(f"{c[:15]:>16}" for c in cells))
    return lines


def _matrix_data(results: dict) -> dict:
    table = summary(results)
    known = _known(results)
    areas = _areas(table)
    rows = []
    for engine in sorted(table):
        identity = results["engines"].get(engine, {})
        rows.append(
            {
                "engine": engine,
                "version": identity.get("version", "?"),
                "api_version": identity.get("api_version", "?"),
                "cells": [
                    _cell(*_ratio(table[engine][a], known[(engine, a)])) if a in table[engine] else _cell("")
                    for a in areas
                ],
            }
        )
    return {"areas": areas, "rows": rows}


def _engines_data(results: dict) -> list[dict]:
    return [
        {
            "name": name,
            "description": e.get("description") or "",
            "version": e.get("version"),
            "api": f"{e.get('api_version')} ({e.get('min_api_version')})",
            "platform": f"{e.get('os')}/{e.get('arch')}",
            "kernel": e.get("kernel"),
            "image": e.get("image") or "external",
            "digest": (e.get("image_digest") or "")[:19],
            "profile": e.get("profile"),
            "ready": f"{e['ready_seconds']:.2f}" if e.get("ready_seconds") else "–",
            "baseline": e.get("baseline") or "none",
        }
        for name, e in sorted(results["engines"].items())
    ]


def _flows_data(results: dict) -> dict:
    """flow x (engine, transport): each cell a status, failures linked to their details."""
    columns = sorted({(t["engine"], t["transport"] or "-") for t in results["tests"]})
    grid: dict[tuple, dict] = defaultdict(dict)
    for index, test in enumerate(results["tests"]):
        grid[(test["area"], test["flow"])].setdefault((test["engine"], test["transport"] or "-"), []).append(
            (index, test)
        )
    rows = [
        {"label": f"{area} · {flow}", "cells": [_flow_cell(cells.get(column, [])) for column in columns]}
        for (area, flow), cells in sorted(grid.items())
    ]
    engines = list(dict.fromkeys(e for e, _ in columns))
    width = f"{68 / max(len(columns), 1):.1f}%"
    return {
        "engines": [{"name": e, "span": sum(1 for c in columns if c[0] == e)} for e in engines],
        "transports": [t if t != "-" else "—" for _, t in columns],
        "widths": ["32%"] + [width] * len(columns),
        "rows": rows,
    }


def _flow_cell(tests: list[tuple[int, dict]]) -> dict | None:
    if not tests:
        return None
    index, test = max(tests, key=lambda it: (SEVERITY.index(it[1]["status"]), not it[1]["known"]))
    return {
        "symbol": SYMBOL[test["status"]] + ("*" if test["known"] else ""),
        "css": "known" if test["known"] and test["status"] == FAIL else CELL[test["status"]],
        "anchor": f"t{index}" if test["status"] in (FAIL, ERROR) else None,
        "count": len(tests),
    }


def _clients_data(results: dict) -> dict | None:
    """Real client x engine (and transport, where a run had several): passed/judged, linked to the failure card."""
    tests = [(index, test) for index, test in enumerate(results["tests"]) if test.get(CLIENT)]
    if not tests:
        return None
    columns = sorted({(test["engine"], test["transport"] or "-") for _, test in tests})
    transports = len({transport for _, transport in columns}) > 1
    grid: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
    for index, test in tests:
        column = (test["engine"], test["transport"] or "-") if transports else (test["engine"], None)
        grid[(test[CLIENT], test.get(CLIENT_VERSION) or "?")][column].append((index, test))
    shown = columns if transports else list(dict.fromkeys((engine, None) for engine, _ in columns))
    return {
        "columns": [engine if transport is None else f"{engine} {transport}" for engine, transport in shown],
        "rows": [
            {"client": client, "version": version, "cells": [_client_cell(cells.get(column, [])) for column in shown]}
            for (client, version), cells in sorted(grid.items())
        ],
    }


def _client_cell(tests: list[tuple[int, dict]]) -> dict:
    if not tests:
        return {"text": "not run", "css": "none", "anchor": None, "steps": ""}
    counts = {status: sum(1 for _, t in tests if t["status"] == status) for status in SEVERITY}
    known = sum(1 for _, t in tests if t["status"] == FAIL and t["known"])
    text, css = _ratio(counts, known)
    if css == "none":  # nothing judged: why not, in the client's or the engine's words
        reason = next(t["message"] for _, t in tests if t["status"] in (UNSUPPORTED, DISABLED))
        status = UNSUPPORTED if counts[UNSUPPORTED] else DISABLED
        text = f"{status}: {reason.splitlines()[0][:REASON_CHARS] if reason else 'no reason given'}"
    failed = [(index, t) for index, t in tests if t["status"] in (FAIL, ERROR)]
    worst = min(failed, key=lambda it: (it[1]["known"], it[1]["status"] != ERROR), default=None)
    steps = sum(len(t.get(STEPS) or []) for _, t in tests)  # [[name, seconds]] of the steps passed
    return {"text": text, "css": css, "anchor": f"t{worst[0]}" if worst else None, "steps": steps or ""}


def _failures_data(results: dict) -> list[dict]:
    return verdict.failure_cards(results)


BAR = {"pass": "#2e7d32", "known": "#b26a00", "new": "#c62828", "stale": "#c62828", "unsupported": "#757575"}
BAR.update(disabled="#9e9e9e", error="#6a1b9a", gone="#6a1b9a")


def _verdict_data(results: dict) -> list[dict]:
    """Per engine: PASS/FAIL, counts, and a stacked bar (SVG rectangles) of the kinds of outcome."""
    rows = []
    for v in verdict.engine_verdicts(results):
        x, bars = 0.0, []
        for kind, colour in BAR.items():
            count = v["counts"][kind]
            if count:
                width = 300 * count / max(v["total"], 1)
                bars.append({"x": f"{x:.1f}", "width": f"{width:.1f}", "colour": colour, "title": f"{count} {kind}"})
                x += width
        rows.append({**v, "bars": bars, "identity": results["engines"].get(v["engine"], {})})
    return rows


def page_title(results: dict) -> str:
    """The page title: the engines and the day of the run."""
    engines = ", ".join(f"{name} {e.get('version', '')}".strip() for name, e in sorted(results["engines"].items()))
    run = results.get("run", {})
    finished = run.get("finished") or max((r.get("finished", "") for r in run.get("merged_from", [])), default="")
    verdicts = {v["verdict"] for v in verdict.engine_verdicts(results)} if results.get("tests") else set()
    outcome = "FAIL" if "FAIL" in verdicts else "PASS" if verdicts else ""
    return f"{outcome} Engine API conformance: {engines or 'no engine'} ({finished[:10] or 'date unknown'})".strip()


def unreached_lines(unreached: list[dict]) -> list[str]:
    """One line per operation never answered 2xx: operation, why, and the statuses it got."""
    return [
        f"{u['operation']}: {u['reason']} ({u['detail']})"
        + (f" [{', '.join(f'{k}x{v}' for k, v in sorted(u['statuses'].items()))}]" if u["statuses"] else "")
        for u in unreached
    ]


def _reached(tests: list[dict]) -> str:
    reached = sum(1 for t in tests if t["fuzz"]["reached_2xx"])
    return f"{reached} ({100 * reached / len(tests):.0f}%)"


def _count(tests: list[dict], cls: str) -> str:
    return str(sum(1 for t in tests for f in t["fuzz_findings"] if f["class"] == cls))


# The rows of the fuzz summary: a label, and its value over the tests of one engine and transport.
_FUZZ_TOTALS = [
    ("operations", lambda ts: str(len(ts))),
    ("cases", lambda ts: str(sum(t["fuzz"]["cases"] for t in ts))),
    ("reached 2xx", _reached),
    ("findings: engine", lambda ts: _count(ts, "engine")),
    ("findings: spec", lambda ts: _count(ts, "spec")),
    ("findings: harness", lambda ts: _count(ts, "harness")),
    ("not in baseline", lambda ts: str(sum(1 for t in ts for f in t["fuzz_findings"] if not f["baseline"]))),
]


def _fuzz_data(results: dict) -> dict | None:
    """Per engine and transport: operations fuzzed, cases, reach (a 2xx at least once), findings by class."""
    fuzzed = [t for t in results["tests"] if t.get("fuzz")]
    if not fuzzed:
        return None
    columns = sorted({(t["engine"], t["transport"]) for t in fuzzed})
    by_column = {c: [t for t in fuzzed if (t["engine"], t["transport"]) == c] for c in columns}
    totals = [[_cell(label)] + [_cell(value(by_column[c])) for c in columns] for label, value in _FUZZ_TOTALS]
    per_operation: dict[str, dict] = defaultdict(dict)
    for test in fuzzed:
        per_operation[test["fuzz"]["operation"]][(test["engine"], test["transport"])] = test
    operations = [
        [_cell(operation)] + [_fuzz_cell(cells.get(column)) for column in columns]
        for operation, cells in sorted(per_operation.items())
    ]
    width = f"{70 / len(columns):.1f}%"
    return {
        "head": ["", *[f"{e} {t}" for e, t in columns]],
        "widths": ["30%"] + [width] * len(columns),
        "totals": totals,
        "operations": operations,
        "reach": _reach_data(results),
    }


_REASON_CSS = {"needs an object it lacks": "fair", "always refused by the engine": "bad", "spec error": "fair"}


def _reach_data(results: dict) -> list[dict]:
    """Per engine and transport: the reach against its target, and every operation never answered 2xx, why."""
    views = []
    for test in sorted(
        (t for t in results["tests"] if t["flow"] == "test_reach"), key=lambda t: (t["engine"], t["transport"])
    ):
        reach = test.get("reach", {})
        operations = reach.get("operations", 0)
        share = reach.get("reached", 0) / operations if operations else 0.0
        views.append(
            {
                "title": f"{test['engine']} {test['transport']}: {reach.get('reached', 0)}/{operations} "
                f"operations reached 2xx ({share:.0%}, target {reach.get('target', 0):.0%})"
                + (f", {reach['unsupported']} unsupported" if reach.get("unsupported") else ""),
                "status": test["status"],
                "css": {PASS: "good", FAIL: "bad"}.get(test["status"], "fair"),
                "rows": [
                    [
                        _cell(u["operation"]),
                        _cell(u["reason"], _REASON_CSS.get(u["reason"], "")),
                        _cell(u["detail"]),
                        _cell(", ".join(f"{k}: {v}" for k, v in sorted(u["statuses"].items()))),
                    ]
                    for u in reach.get("unreached", [])
                ],
            }
        )
    return views


def _fuzz_cell(test: dict | None) -> dict:
    """Cases that reached 2xx / cases run, and the findings the baseline lacks."""
    if test is None:
        return _cell("")
    fuzz = test["fuzz"]
    new = [f for f in test["fuzz_findings"] if not f["baseline"]]
    return _cell(
        f"{fuzz['reached_2xx']}/{fuzz['cases']}" + (f" · {len(new)} new" if new else ""),
        "bad" if new else "good" if fuzz["reached_2xx"] else "fair",
    )


def _changes_data(changes: list[tuple]) -> dict:
    css = {"added": "add", "removed": "del", "changed": "chg"}
    rows = [
        [_cell(v), _cell(kind, css[kind]), _cell(path), _cell(detail)] for v, kind, path, detail in changes[:ROW_LIMIT]
    ]
    return {"rows": rows, "more": max(len(changes) - ROW_LIMIT, 0)}


def _steps(changes: list[tuple]) -> list[dict]:
    """The changes of one operation per version step, each with its +/- counts, to unfold one at a time."""
    by_version: dict[str, list[tuple]] = defaultdict(list)
    for change in changes:
        by_version[change[0]].append(change)
    return [
        {
            "version": version,
            "added": sum(1 for c in step if c[1] == "added"),
            "removed": sum(1 for c in step if c[1] == "removed"),
            "changed": sum(1 for c in step if c[1] == "changed"),
            "changes": _changes_data(step),
        }
        for version, step in by_version.items()
    ]


def _engine_drift_data(results: dict) -> list[dict]:
    """Per group of engines (the Docker chain, Docker against the others): one table per operation, one row per
    status and field that differs, each column an engine at the API version it was called at."""
    groups = []
    for title, engines in upgrade.engine_groups(sorted({s["engine"] for s in results["shapes"]})):
        view = upgrade.engines_view(results, engines)
        share = f"{52 / len(engines):.1f}%"
        operations = [
            {
                "operation": op["operation"],
                "count": len(op["rows"]),
                "rows": [
                    [_cell(row["status"]), _cell(row["field"])]
                    + [_cell(kind or "–", "del" if kind == "absent" else "") for kind in row["cells"]]
                    + [
                        _cell(
                            ", ".join(row["tests"][:2])
                            + (f" (+{len(row['tests']) - 2})" if len(row["tests"]) > 2 else "")
                        )
                    ]
                    for row in op["rows"][:ROW_LIMIT]
                ],
            }
            for op in view["operations"]
        ]
        groups.append(
            {
                "title": title,
                "head": ["status", "field", *[f"{e} @ API {api}" for e, api in view["columns"]], "tests"],
                "widths": ["6%", "26%"] + [share] * len(engines) + ["16%"],
                "operations": operations,
                "rows": sum(op["count"] for op in operations),
            }
        )
    return groups


def _conformance_data(results: dict) -> dict:
    """New mismatches first, row by row; known (baselined) ones folded into a count per engine and operation."""
    everything = drift.spec_conformance(results)
    conformance = [c for c in everything if not c["baseline"]]
    known: dict[tuple[str, str], int] = {}
    for c in everything:
        if c["baseline"]:
            known[(c["engine"], c["operation"])] = known.get((c["engine"], c["operation"]), 0) + 1
    rows = [
        [
            _cell(c["engine"]),
            _cell(c["api"]),
            _cell(c["operation"]),
            _cell(c["path"]),
            _cell(c["expected"]),
            _cell(c["actual"]),
            _cell("baseline" if c["baseline"] else "new", "" if c["baseline"] else "bad"),
        ]
        for c in conformance[: ROW_LIMIT * 2]
    ]
    folded = [[_cell(engine), _cell(operation), _cell(count)] for (engine, operation), count in sorted(known.items())]
    return {
        "count": len(everything),
        "new": len(conformance),
        "rows": rows,
        "known": folded,
        "known_count": sum(known.values()),
    }


def _errata_data(results: dict) -> list[dict] | None:
    """The errata the run applied; None when it applied none (the section is left out)."""
    if not results.get("errata"):
        return None
    return [{"id": e.id, "summary": e.summary, "evidence": e.evidence} for e in ERRATA if e.id in results["errata"]]


def _drift_data(results: dict) -> dict:
    spec = drift.spec_drift(results)
    apis = drift.api_drift(results)
    return {
        "engine_count": len({s["engine"] for s in results["shapes"]}),
        "engines": _engine_drift_data(results),
        "apis": [
            {
                "engine": v["engine"],
                "operation": v["operation"],
                "test": v["test"],
                "versions": v["versions"],
                "changes": _changes_data(v["changes"]),
            }
            for v in apis
            if v["changes"]
        ],
        "sweeps": len(apis),
        "short_sweeps": sorted({(v["engine"], ", ".join(v["missing"])) for v in apis if v["missing"]}),
        "spec": {
            "versions": spec["versions"],
            "missing": spec["missing"],
            "operations": [
                {"operation": v["operation"], "count": len(v["changes"]), "steps": _steps(v["changes"])}
                for v in spec["operations"]
            ],
        },
        "conformance": _conformance_data(results),
        "errata": _errata_data(results),
    }


def _upgrade_data(results: dict, spec_dir: Path | None) -> list[dict]:
    """The upgrade view of each default pair (reports/upgrade.py): per change kind, its rows; the kinds that break
    clients open while they are few, so a pair fits on two screens before anything is unfolded."""
    load = upgrade.spec_files(spec_dir, results.get("specs", {}))
    views = []
    for old, new in upgrade.default_pairs(sorted(results["engines"])):
        view = upgrade.changes(results, old, results, new, load)
        kinds, shown = [], 0
        for kind in upgrade.KINDS:
            entries = [e for e in view["changes"] if e["kind"] == kind]
            if not entries:
                continue
            opened = kind in upgrade.OPENED and shown + len(entries) <= UPGRADE_OPEN_ROWS
            shown += len(entries) if opened else 0
            kinds.append(
                {
                    "kind": kind,
                    "open": opened,
                    "count": len(entries),
                    "tags": upgrade.tag_counts(entries),
                    "rows": [_upgrade_row(e) for e in entries[:ROW_LIMIT]],
                    "more": max(len(entries) - ROW_LIMIT, 0),
                }
            )
        views.append(
            {**view, "total": len(view["changes"]), "tags": upgrade.tag_counts(view["changes"]), "kinds": kinds}
        )
    return views


UPGRADE_OPEN_ROWS = 20  # rows of the breaking kinds shown unfolded per pair: two screens at 1280 px


def _upgrade_row(entry: dict) -> list[dict]:
    tests = entry["tests"][0] + (f" (+{len(entry['tests']) - 1})" if len(entry["tests"]) > 1 else "")
    request = entry["requests"][0] if entry["requests"] else ""
    return [
        _cell(f"{entry['operation']} {entry['status'] or ''}".strip()),
        _cell(entry["subject"]),
        _cell(f"{entry['before'] or '–'} → {entry['after'] or '–'}", "chg"),
        _cell(entry["versioned"] or "?", "bad" if entry["versioned"] == "unversioned" else ""),
        _cell(upgrade.documented_word(entry["documented"]), "fair" if entry["documented"] is False else ""),
        _cell(tests),
        _cell(request if len(request) <= 40 else request[:39] + "…"),
    ]


def _coverage_data(results: dict) -> dict | None:
    cov = results.get("coverage")
    if not cov:
        return None
    rows = [
        [
            _cell(op),
            _cell("yes" if e["scenario"] else "no", "good" if e["scenario"] else ""),
            _cell("yes" if e["fuzz"] else "no"),
            _cell(", ".join(map(str, e["statuses"]))),
            _cell(", ".join(e["engines"]) + " · " + ", ".join(e["transports"])),
            _cell(", ".join(t.rsplit("::", 1)[-1] for t in e["tests"][:8]) + (" …" if len(e["tests"]) > 8 else "")),
        ]
        for op, e in sorted(cov["calls"].items())
    ]
    return {**totals(cov), "spec": cov["spec"], "rows": rows, "unmatched": cov["unmatched"]}


def _report_data(results: dict, spec_dir: Path | None) -> dict:
    return {
        "coverage": _coverage_data(results),
        "verdict": _verdict_data(results),
        "clients": _clients_data(results),
        "matrix": _matrix_data(results),
        "engines": {"rows": _engines_data(results), "spec_fallbacks": results.get("spec_fallbacks", [])},
        "flows": _flows_data(results),
        "failures": _failures_data(results),
        "fuzz": _fuzz_data(results),
        "drift": _drift_data(results),
        "upgrade": _upgrade_data(results, spec_dir),
    }


# One function per section, each the HTML of that section alone.


def matrix(results: dict) -> str:
    return str(_sections().matrix(_matrix_data(results)))


def clients_table(results: dict) -> str:
    return str(_sections().clients(_clients_data(results)))


def engines_table(results: dict) -> str:
    return str(_sections().engines(_engines_data(results)))


def flows(results: dict) -> str:
    return str(_sections().flows(_flows_data(results)))


def failures(results: dict) -> str:
    return str(_sections().failures(_failures_data(results)))


def fuzz_section(results: dict) -> str:
    return str(_sections().fuzz(_fuzz_data(results)))


def drift_views(results: dict) -> str:
    return str(_sections().drift(_drift_data(results)))


def report_sections(results: dict, spec_dir: Path | None = None) -> str:
    return str(_sections().report(_report_data(results, spec_dir)))


def page(results: dict, spec_dir: Path | None, title: str) -> str:
    """A standalone page (merged results have no pytest-html report of their own)."""
    return (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            page_title=f"{page_title(results)} · {title}",
            missing=results["run"].get("missing", []),
            data=_report_data(results, spec_dir),
        )
    )
