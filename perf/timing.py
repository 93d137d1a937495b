"""Where a run's time went, from its own results.json and transcript: engine time against wall time.

A test's wall time is its results' duration (setup + call + teardown). Its engine time is the time its
calls spent in the engine, from the transcript: each call's milliseconds run from the request sent to the
last byte of the answer received (a streamed answer: until it ended or was closed); calls that overlap
(threads) count once. The harness share is what is left: 1 - engine time / wall time. Of the harness's
time, the seconds a test slept between polls (fixtures/wait.py, results' waited_s: waiting for the engine's
asynchronous work, such as a swarm converging) are shown apart as "polls". Transcripts written before start
times were recorded give no overlap (their calls are summed) and time a streamed call to its headers only;
the analysis says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from fixtures.engines.catalog import ENGINES
from reports.contract import parse_line

# The benchmark's targets on a 2-core machine: (limit, what it measures, unit).
TARGETS = {
    "suites_docker-28.5_3_transports_n2_s": (45.0, "all scenario suites on docker-28.5, three transports, -n 2", "s"),
    "matrix_all_engines_s": (480.0, "the matrix of every catalog engine (tox -e matrix's pytest), wall", "s"),
    "harness_share": (0.25, "harness share of the tests' wall time (1 - engine time / wall time)", ""),
    "fresh_machine_to_report_s": (240.0, "a fresh machine from README's first command to the first report", "s"),
    "client_ping_ratio_unix": (3.0, "suite's client per GET /_ping against curl keep-alive, unix socket", "x"),
    "clients_one_engine_3_transports_s": (240.0, "every real client of one engine, three transports, -n 2", "s"),
}


def read_run(source: Path) -> tuple[dict, list[str], list[Path]]:
    """results.json (SOURCE, or SOURCE/results.json) and the lines of the transcripts beside it."""
    results_path = source / "results.json" if source.is_dir() else source
    results = json.loads(results_path.read_text())
    stem = "" if results_path.name == "results.json" else f"{results_path.stem}-"
    logs = sorted(results_path.parent.glob(f"{stem}transcript*.log"))
    if stem == "":  # "transcript-gw0.log" but not another run's "bench-n2-transcript.log"
        logs = [log for log in logs if log.name.startswith("transcript")]
    lines = [line for log in logs for line in log.read_text(errors="replace").splitlines()]
    return results, lines, logs


def engine_calls(lines: Iterable[str]) -> dict[str, list[tuple[float | None, float]]]:
    """test id -> [(sent at or None, seconds)] of its calls."""
    calls: dict[str, list[tuple[float | None, float]]] = defaultdict(list)
    for line in lines:
        call = parse_line(line)
        if call:
            calls[call.test].append((call.sent_at, call.ms / 1000))
    return calls


def busy_seconds(calls: list[tuple[float | None, float]]) -> float:
    """The time at least one call was in the engine: overlapping calls count once."""
    timed = sorted((at, at + seconds) for at, seconds in calls if at is not None)
    total = sum(seconds for at, seconds in calls if at is None)
    end = float("-inf")
    for start, stop in timed:
        if stop > end:
            total += stop - max(start, end)
            end = stop
    return total


def _share(wall: float, engine: float) -> float:
    return max(0.0, 1 - engine / wall) if wall > 0 else 0.0


def analyse(results: dict, lines: Iterable[str], slowest: int = 10) -> dict:
    lines = list(lines)
    calls = engine_calls(lines)
    timed = any((call := parse_line(line)) and call.sent_at is not None for line in lines[:200])
    tests = []
    for test in results["tests"]:
        wall = float(test.get("duration") or 0)
        if test.get("flow") == "test_reach":
            continue  # made up by the results from others, no time of its own
        engine = min(busy_seconds(calls.get(test["id"], [])), wall) if wall else 0.0
        waited = min(float(test.get("waited_s") or 0), wall - engine)
        tests.append(
            {
                "id": test["id"],
                "area": test.get("area", "other"),
                "module": test["id"].split("::")[0],
                "engine": test.get("engine"),
                "status": test.get("status"),
                "wall_s": round(wall, 3),
                "engine_s": round(engine, 3),
                "harness_s": round(wall - engine, 3),
                "polls_s": round(waited, 3),
                "harness_share": round(_share(wall, engine), 3),
                "calls": len(calls.get(test["id"], [])),
            }
        )
    areas: dict[str, dict] = {}
    for key in ("area", "module"):
        groups: dict[str, list[dict]] = defaultdict(list)
        for test in tests:
            groups[test[key]].append(test)
        ranked = sorted(groups.items(), key=lambda kv: -sum(t["wall_s"] for t in kv[1]))
        areas[key] = {name: _totals(group) for name, group in ranked}
    run = results.get("run", {})
    return {
        "timing": "exact" if timed else "old transcript: no start times (calls summed), streamed calls to headers",
        "tests": len(tests),
        "engines": sorted({t["engine"] for t in tests if t["engine"]}),
        "transports": sorted({t.get("transport") for t in results["tests"] if t.get("transport")}),
        "run_wall_s": run.get("wall_s"),
        "workers": run.get("workers"),
        "total": _totals(tests),
        "by_area": areas["area"],
        "by_module": areas["module"],
        "slowest": sorted(tests, key=lambda t: -t["wall_s"])[:slowest],
        "most_harness": sorted(tests, key=lambda t: -t["harness_s"])[:slowest],
    }


def _totals(tests: list[dict]) -> dict:
    wall = sum(t["wall_s"] for t in tests)
    engine = sum(t["engine_s"] for t in tests)
    return {
        "tests": len(tests),
        "wall_s": round(wall, 2),
        "engine_s": round(engine, 2),
        "harness_s": round(wall - engine, 2),
        "polls_s": round(sum(t.get("polls_s", 0) for t in tests), 2),
        "harness_share": round(_share(wall, engine), 3),
    }


def targets(measured: dict[str, float | None], analysis: dict | None) -> dict:
    """Each target with its figure: met, missed (with the top contributors) or not measured."""
    out = {}
    for key, (limit, what, unit) in TARGETS.items():
        value = measured.get(key)
        entry: dict = {"what": what, "target": limit, "unit": unit, "measured": value}
        if value is None:
            entry["status"] = "not measured"
        elif value <= limit:
            entry["status"] = "met"
        else:
            entry["status"] = "missed"
            entry["top_contributors"] = _contributors(key, analysis)
        out[key] = entry
    return out


def _contributors(key: str, analysis: dict | None) -> list[str]:
    if analysis is None:
        return []
    if key == "harness_share":
        areas = sorted(analysis["by_area"].items(), key=lambda kv: -kv[1]["harness_s"])[:5]
        return [
            f"area {name}: {a['harness_s']:.1f} s harness ({a['polls_s']:.1f} s of it polls) of {a['wall_s']:.1f} s"
            for name, a in areas
        ] + [
            f"{t['id']}: {t['harness_s']:.1f} s harness ({t['polls_s']:.1f} s polls) of {t['wall_s']:.1f} s"
            for t in analysis["most_harness"][:5]
        ]
    if key.startswith("client"):
        return []
    areas = list(analysis["by_area"].items())[:5]
    return [f"area {name}: {a['wall_s']:.1f} s in tests ({a['harness_share']:.0%} harness)" for name, a in areas] + [
        f"{t['id']}: {t['wall_s']:.1f} s ({t['harness_share']:.0%} harness)" for t in analysis["slowest"][:5]
    ]


def run_figures(analysis: dict) -> dict[str, float | None]:
    """The target figures a run's own results give: its wall time where it is the run a target names."""
    figures: dict[str, float | None] = {"harness_share": analysis["total"]["harness_share"]}
    wall = analysis.get("run_wall_s")
    two_workers = analysis.get("workers") == 2  # the target's -n 2
    if wall is not None and two_workers and analysis["engines"] == ["docker-28.5"] and len(analysis["transports"]) == 3:
        figures["suites_docker-28.5_3_transports_n2_s"] = wall
    if wall is not None and set(analysis["engines"]) == set(ENGINES):
        figures["matrix_all_engines_s"] = wall
    return figures


def table(analysis: dict, goals: dict) -> list[str]:
    total = analysis["total"]
    lines = [
        f"timing: {analysis['timing']}; {analysis['tests']} tests on {', '.join(analysis['engines'])}"
        + (f"; run wall {analysis['run_wall_s']:.1f} s" if analysis.get("run_wall_s") else ""),
        f"{'area':<28}{'tests':>6}{'wall s':>9}{'engine s':>10}{'polls s':>9}{'harness':>9}",
    ]
    for name, a in [*analysis["by_area"].items(), ("all", total)]:
        lines.append(
            f"{name:<28}{a['tests']:>6}{a['wall_s']:>9.1f}{a['engine_s']:>10.1f}{a['polls_s']:>9.1f}"
            f"{a['harness_share']:>9.0%}"
        )
    lines.append(f"{'slowest tests':<72}{'wall s':>8}{'engine s':>9}{'polls s':>8}{'harness':>8}")
    for t in analysis["slowest"]:
        name = t["id"] if len(t["id"]) <= 70 else "..." + t["id"][-67:]
        lines.append(
            f"{name:<72}{t['wall_s']:>8.1f}{t['engine_s']:>9.1f}{t['polls_s']:>8.1f}{t['harness_share']:>8.0%}"
        )
    lines += target_lines(goals)
    return lines


def target_lines(goals: dict) -> list[str]:
    lines = [f"{'target':<44}{'measured':>10}{'limit':>8}  status"]
    for key, g in goals.items():
        value = "-" if g["measured"] is None else f"{g['measured']:.3g}{g['unit']}"
        lines.append(f"{key:<44}{value:>10}{g['target']:>7g}{g['unit']:<1}  {g['status']}")
        lines += [f"    {c}" for c in g.get("top_contributors", [])]
    return lines
