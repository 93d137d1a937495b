"""The report's own sections: the engine x area matrix first, then drill-down, failures, drift.

The same HTML goes into the pytest-html report of a run and into the page `python -m reports merge`
writes; it fits 1280 px without scrolling sideways (fixed layouts, long paths wrap).
"""
from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from reports import drift
from reports.results import ERROR, FAIL, PASS, UNSUPPORTED, summary

STYLE = """<style>
.conf {max-width: 1240px; font-size: 13px}
.conf table {border-collapse: collapse; table-layout: fixed; width: 100%; margin: 4px 0 14px}
.conf th, .conf td {border: 1px solid #ccc; padding: 2px 5px; overflow-wrap: anywhere; vertical-align: top}
.conf th {background: #eee; text-align: left}
.conf .good {background: #c8ecc8} .conf .fair {background: #f6e7a8} .conf .bad {background: #f4b8b8}
.conf .none {background: #e4e4e4; color: #666} .conf .err {background: #d9c8f4}
.conf .add {color: #176317} .conf .del {color: #a11} .conf .chg {color: #8a5a00}
.conf code, .conf pre {font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere}
.conf details {margin: 2px 0}
</style>"""
SYMBOL = {PASS: "✓", FAIL: "✗", UNSUPPORTED: "U", "Disabled": "–", ERROR: "E"}
CELL = {PASS: "good", FAIL: "bad", UNSUPPORTED: "none", "Disabled": "none", ERROR: "err"}
ROW_LIMIT = 200  # per drift table: a report must stay readable


def _ratio(counts: dict[str, int]) -> tuple[str, str]:
    judged = counts[PASS] + counts[FAIL] + counts[ERROR]
    if not judged:
        return ("unsupported" if counts[UNSUPPORTED] else "–"), "none"
    text = f"{counts[PASS]}/{judged}"
    if counts[ERROR]:
        text += f" ({counts[ERROR]} E)"
    share = counts[PASS] / judged
    return text, "good" if share == 1 else "fair" if share >= 0.8 else "bad"


def _areas(table: dict) -> list[str]:
    return sorted({area for areas in table.values() for area in areas})


def matrix_text(results: dict) -> list[str]:
    table = summary(results)
    areas = _areas(table)
    width = max([len(e) for e in table] + [6])
    lines = [" " * width + "".join(f"{a[:11]:>12}" for a in areas)]
    for engine in sorted(table):
        cells = [_ratio(table[engine][a])[0] if a in table[engine] else "" for a in areas]
        lines.append(f"{engine:<{width}}" + "".join(f"{c[:11]:>12}" for c in cells))
    return lines


def _table(head: list[str], rows: list[list[str]], widths: list[str] | None = None) -> str:
    cols = "".join(f"<col style='width:{w}'>" for w in widths) if widths else ""
    return (f"<table><colgroup>{cols}</colgroup><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr>"
            + "".join(f"<tr>{''.join(row)}</tr>" for row in rows) + "</table>")


def _td(text: str, css: str = "", raw: bool = False) -> str:
    return f"<td class='{css}'>{text if raw else escape(str(text))}</td>"


def matrix(results: dict) -> str:
    table = summary(results)
    areas = _areas(table)
    rows = []
    for engine in sorted(table):
        identity = results["engines"].get(engine, {})
        label = f"<b>{escape(engine)}</b><br>{escape(str(identity.get('version', '?')))} · API {escape(str(identity.get('api_version', '?')))}"
        rows.append([_td(label, raw=True)] + [
            _td(*_ratio(table[engine][a])) if a in table[engine] else _td("") for a in areas])
    return "<h2>Conformance: passed/judged by engine and area</h2>" + _table(["engine", *areas], rows)


def engines_table(results: dict) -> str:
    head = ["engine", "version", "API (min)", "os/arch", "kernel", "image", "profile", "ready s", "baseline"]
    rows = []
    for name, e in sorted(results["engines"].items()):
        image = f"{e.get('image') or 'external'}<br><code>{escape((e.get('image_digest') or '')[:19])}</code>"
        rows.append([_td(name), _td(e.get("version")), _td(f"{e.get('api_version')} ({e.get('min_api_version')})"),
                     _td(f"{e.get('os')}/{e.get('arch')}"), _td(e.get("kernel")), _td(image, raw=True),
                     _td(e.get("profile")), _td(f"{e['ready_seconds']:.2f}" if e.get("ready_seconds") else "–"),
                     _td(e.get("baseline") or "none")])
    return "<h2>Engines</h2>" + _table(head, rows, ["11%", "10%", "9%", "9%", "13%", "24%", "8%", "6%", "10%"])


def flows(results: dict) -> str:
    """flow x (engine, transport): each cell a status, failures linked to their details."""
    columns = sorted({(t["engine"], t["transport"] or "-") for t in results["tests"]})
    grid: dict[tuple, dict] = defaultdict(dict)
    for index, test in enumerate(results["tests"]):
        grid[(test["area"], test["flow"])].setdefault((test["engine"], test["transport"] or "-"), []).append((index, test))
    rows = []
    for (area, flow), cells in sorted(grid.items()):
        row = [_td(f"{area} · {flow}")]
        for column in columns:
            tests = cells.get(column, [])
            if not tests:
                row.append(_td(""))
                continue
            worst = max(tests, key=lambda it: [PASS, "Disabled", UNSUPPORTED, FAIL, ERROR].index(it[1]["status"]))
            index, test = worst
            symbol = SYMBOL[test["status"]] + ("*" if test["known"] else "")
            text = f"<a href='#t{index}'>{symbol}</a>" if test["status"] in (FAIL, ERROR) else symbol
            row.append(_td(text + (f"<small>×{len(tests)}</small>" if len(tests) > 1 else ""), CELL[test["status"]], raw=True))
        rows.append(row)
    width = f"{68 / max(len(columns), 1):.1f}%"
    legend = ("<p>✓ pass · ✗ fail (* known: in the engine's baseline) · U unsupported · – disabled · E harness error; "
              "— tests of no single transport</p>")
    engines = list(dict.fromkeys(e for e, _ in columns))  # two header rows: engines over their transports
    head = ("<tr><th rowspan='2'>flow</th>" + "".join(
        f"<th colspan='{sum(1 for c in columns if c[0] == e)}'>{escape(e)}</th>" for e in engines) + "</tr><tr>"
        + "".join(f"<th>{escape(t if t != '-' else '—')}</th>" for _, t in columns) + "</tr>")
    cols = "".join(f"<col style='width:{w}'>" for w in ["32%"] + [width] * len(columns))
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return f"<h2>Flows by engine and transport</h2>{legend}<table><colgroup>{cols}</colgroup>{head}{body}</table>"


def failures(results: dict) -> str:
    items = []
    for index, test in enumerate(results["tests"]):
        if test["status"] not in (FAIL, ERROR):
            continue
        curl = f"<pre>{escape(test['curl'])}</pre>" if test.get("curl") else ""
        known = " (known: baseline)" if test["known"] else ""
        items.append(f"<details id='t{index}'><summary>{escape(test['status'])}{known}: <code>{escape(test['id'])}</code>"
                     f"</summary><pre>{escape(test['message'])}</pre>{curl}</details>")
    return f"<h2>Failures and errors ({len(items)})</h2>" + ("".join(items) or "<p>none</p>")


def fuzz_section(results: dict) -> str:
    """Per engine and transport: operations fuzzed, cases, reach (a 2xx at least once), findings by class."""
    fuzzed = [t for t in results["tests"] if t.get("fuzz")]
    if not fuzzed:
        return ""
    columns = sorted({(t["engine"], t["transport"]) for t in fuzzed})
    head = ["", *[f"{e} {t}" for e, t in columns]]
    totals = []
    for label, value in (("operations", lambda ts: str(len(ts))),
                         ("cases", lambda ts: str(sum(t["fuzz"]["cases"] for t in ts))),
                         ("reached 2xx", lambda ts: f"{sum(1 for t in ts if t['fuzz']['reached_2xx'])} "
                                                    f"({100 * sum(1 for t in ts if t['fuzz']['reached_2xx']) / len(ts):.0f}%)"),
                         ("findings: engine", lambda ts: _count(ts, "engine")),
                         ("findings: spec", lambda ts: _count(ts, "spec")),
                         ("findings: harness", lambda ts: _count(ts, "harness")),
                         ("not in baseline", lambda ts: str(sum(1 for t in ts for f in t["fuzz_findings"] if not f["baseline"])))):
        totals.append([_td(label)] + [_td(value([t for t in fuzzed if (t["engine"], t["transport"]) == c])) for c in columns])
    per_operation = defaultdict(dict)
    for test in fuzzed:
        per_operation[test["fuzz"]["operation"]][(test["engine"], test["transport"])] = test
    rows = []
    for operation, cells in sorted(per_operation.items()):
        row = [_td(operation)]
        for column in columns:
            test = cells.get(column)
            if test is None:
                row.append(_td(""))
                continue
            fuzz = test["fuzz"]
            new = [f for f in test["fuzz_findings"] if not f["baseline"]]
            row.append(_td(f"{fuzz['reached_2xx']}/{fuzz['cases']}" + (f" · {len(new)} new" if new else ""),
                           "bad" if new else "good" if fuzz["reached_2xx"] else "fair"))
        rows.append(row)
    width = f"{70 / len(columns):.1f}%"
    return ("<h2>Spec fuzzing</h2>" + _table(head, totals, ["30%"] + [width] * len(columns))
            + "<details><summary>per operation: cases that reached 2xx / cases run</summary>"
            + _table(["operation", *head[1:]], rows, ["30%"] + [width] * len(columns)) + "</details>")


def _count(tests: list[dict], cls: str) -> str:
    return str(sum(1 for t in tests for f in t["fuzz_findings"] if f["class"] == cls))


def _changes_table(changes: list[tuple], first: str) -> str:
    css = {"added": "add", "removed": "del", "changed": "chg"}
    rows = [[_td(v), _td(kind, css[kind]), _td(path), _td(detail)] for v, kind, path, detail in changes[:ROW_LIMIT]]
    more = f"<p>… and {len(changes) - ROW_LIMIT} more</p>" if len(changes) > ROW_LIMIT else ""
    return _table([first, "change", "field", "type"], rows, ["10%", "10%", "60%", "20%"]) + more


def drift_views(results: dict, spec_dir: Path | None) -> str:
    parts = ["<h2>Version drift</h2>"]
    engine_views = [v for v in drift.engine_drift(results) if v["rows"]]
    parts.append(f"<h3>1. Between engines: response shapes observed ({len(engine_views)} operations differ)</h3>")
    for view in engine_views:
        rows = [[_td(path)] + [_td(kinds[e] or "absent", "" if kinds[e] else "del") for e in view["engines"]]
                for path, kinds in view["rows"][:ROW_LIMIT]]
        share = f"{60 / len(view['engines']):.1f}%"
        parts.append(f"<details><summary><code>{escape(view['operation'])}</code> {view['status']}: "
                     f"{len(view['rows'])} fields differ</summary>"
                     + _table(["field", *view["engines"]], rows, ["40%"] + [share] * len(view["engines"])) + "</details>")
    api_views = [v for v in drift.api_drift(results) if v["changes"]]
    parts.append(f"<h3>2. Between API versions on one engine ({len(api_views)} operations change)</h3>")
    for view in api_views:
        parts.append(f"<details><summary>{escape(view['engine'])}: <code>{escape(view['operation'])}</code> over "
                     f"{', '.join(view['versions'])}</summary>{_changes_table(view['changes'], 'from API')}</details>")
    spec = drift.spec_drift(results, drift.spec_loader(spec_dir))
    parts.append(f"<h3>3. Between spec versions {', '.join(spec['versions'])} "
                 f"({len(spec['operations'])} exercised operations change)</h3>")
    parts += [f"<p>spec not available: {escape(m)}</p>" for m in spec["missing"]]
    for view in spec["operations"]:
        parts.append(f"<details><summary><code>{escape(view['operation'])}</code>: {len(view['changes'])} changes"
                     f"</summary>{_changes_table(view['changes'], 'in spec')}</details>")
    conformance = drift.spec_conformance(results)
    parts.append(f"<h3>4. Engines against the spec of their own version ({len(conformance)} places)</h3>")
    rows = [[_td(c["engine"]), _td(c["api"]), _td(c["operation"]), _td(c["path"]), _td(c["expected"]),
             _td(c["actual"]), _td("baseline" if c["baseline"] else "new", "" if c["baseline"] else "bad")]
            for c in conformance[:ROW_LIMIT * 2]]
    parts.append(_table(["engine", "API", "operation", "field", "spec says", "engine sent", ""], rows,
                        ["11%", "5%", "17%", "30%", "13%", "14%", "10%"]))
    if results.get("errata"):
        from openapi.errata import ERRATA
        listed = [e for e in ERRATA if e.id in results["errata"]]
        parts.append("<h3>Spec errata applied</h3><ul>" + "".join(
            f"<li><b>{escape(e.id)}</b>: {escape(e.summary)} <small>({escape(e.evidence)})</small></li>" for e in listed)
            + "</ul>")
    return "".join(parts)


def report_sections(results: dict, spec_dir: Path | None = None) -> str:
    return ("<div class='conf'>" + STYLE + matrix(results) + engines_table(results) + flows(results)
            + failures(results) + fuzz_section(results) + drift_views(results, spec_dir) + "</div>")


def page(results: dict, spec_dir: Path | None, title: str) -> str:
    """A standalone page (merged results have no pytest-html report of their own)."""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
            f"<body style='font-family: sans-serif; margin: 16px'><h1>{escape(title)}</h1>"
            + "".join(f"<p><b>Missing:</b> {escape(path)} (its run did not finish)</p>"
                      for path in results["run"].get("missing", []))
            + f"{report_sections(results, spec_dir)}</body></html>")
