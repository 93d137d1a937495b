"""Collects the run's results from test reports (so that it works under xdist too) and writes them.

Writes reports/output/results.json, prints the engines and the engine x area matrix at the end,
and puts the summary, drill-down and drift views into the pytest-html report.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from fixtures.baselines import baseline_of
from fixtures.plugin import OUTPUT_DIR, RUN, SETTINGS, TRANSCRIPT
from reports import html, results
from openapi.errata import applicable
from reports.shapes import body_shape

AREAS = ("system", "containers", "images", "networks", "volumes", "exec", "plugins", "swarm", "transports", "fuzz")
RESULTS = pytest.StashKey[dict]()
SHAPES = pytest.StashKey[dict]()  # (engine, operation, status, api) -> fields, of this process
_REPORTS = pytest.StashKey[dict]()  # nodeid -> the report that decides the test's status
_ANNOUNCED = pytest.StashKey[set]()  # engines whose identity this process already attached


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SHAPES] = {}
    config.stash[_REPORTS] = {}
    config.stash[_ANNOUNCED] = set()
    config.stash[RESULTS] = {}


def record_shape(config: pytest.Config, engine: str, operation: str, status: int, api: str, body) -> None:
    """Keep the shape of a checked response body, for the drift views."""
    fields = config.stash[SHAPES].setdefault((engine, operation, status, api), {})
    for path, kind in body_shape(body).items():
        fields[path] = kind if fields.get(path, kind) == kind else "|".join(sorted({*fields[path].split("|"), kind}))


def _area(item: pytest.Item) -> str:
    return next((a for a in AREAS if item.get_closest_marker(a)), item.path.stem.removeprefix("test_"))


def identity(engine) -> dict:
    version = engine.version
    return {
        "version": version.get("Version"), "api_version": version.get("ApiVersion"),
        "min_api_version": version.get("MinAPIVersion"), "os": version.get("Os"), "arch": version.get("Arch"),
        "kernel": version.get("KernelVersion"), "kind": engine.spec.kind, "image": engine.image or None,
        "image_digest": engine.image_id, "profile": engine.profile, "ready_seconds": engine.ready_seconds,
        "transports": sorted(engine.addresses),
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    """After the fixtures: what the test is about, and the engine's identity the first time it is seen."""
    yield
    params = getattr(item, "callspec", None)
    funcargs = getattr(item, "funcargs", {})
    engine = funcargs.get("engine") or funcargs.get("fuzz_engine")
    api_version = item.config.stash[SETTINGS].prefix_for(engine.api_version) if engine else None
    item.user_properties.append(("meta", {
        "engine": params.params.get("engine_name") if params else None,
        "transport": params.params.get("transport") if params else None,
        "area": _area(item), "flow": item.originalname, "api_version": api_version}))
    if engine is not None and engine.name not in item.config.stash[_ANNOUNCED]:
        item.config.stash[_ANNOUNCED].add(engine.name)
        baseline = baseline_of(item.config, engine.name)
        item.user_properties.append(("engine_identity", {engine.name: {**identity(engine), "baseline": baseline}}))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = (yield).get_result()
    if report.failed:
        curl = item.config.stash[TRANSCRIPT].last_curl(item.nodeid)
        if curl:
            report.user_properties.append(("curl", curl))


_CONFIG: list[pytest.Config] = []  # pytest_runtest_logreport is not given the config


def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG[:] = [session.config]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep the report that decides each test's status: a failure in any phase over a skip over a pass."""
    seen = _CONFIG[0].stash[_REPORTS]
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    previous = seen.get(report.nodeid)
    if previous is None or rank[report.outcome] >= rank[previous.outcome]:  # a tie: the later phase knows more
        report.total_duration = report.duration + getattr(previous, "total_duration", 0.0)
        seen[report.nodeid] = report
    else:
        previous.total_duration += report.duration


def _message(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    if hasattr(report, "wasxfail"):
        return report.wasxfail
    lines = [line for line in (report.longreprtext or "").splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    # An assertion's own message ("harness: ...") must lead, for results.status_of to read its prefix.
    return ((errors or lines or [""])[0]).removeprefix("AssertionError: ")[:500]


def _test_record(report: pytest.TestReport) -> dict:
    props = dict(p for p in report.user_properties if p[0] not in ("schema_mismatch", "fuzz_finding"))
    meta = props.get("meta", {})
    message = _message(report)
    longrepr = report.longreprtext or ""
    xfail = hasattr(report, "wasxfail") or "[XPASS(strict)]" in longrepr
    status, known = results.status_of(report.outcome, report.when, message, xfail,
                                      assertion="AssertionError" in longrepr)
    return {
        "id": report.nodeid, "engine": meta.get("engine"), "transport": meta.get("transport"),
        "area": meta.get("area", "other"), "flow": meta.get("flow", report.nodeid.split("::")[-1]),
        "api_version": meta.get("api_version"), "status": status, "known": known,
        "message": "" if status == results.PASS and not known else message, "duration": round(getattr(report, "total_duration", report.duration), 3),
        "schema_mismatches": [value for name, value in report.user_properties if name == "schema_mismatch"],
        "curl": props.get("curl"),
        **({"fuzz": props["fuzz"], "fuzz_findings": [v for n, v in report.user_properties if n == "fuzz_finding"]}
           if "fuzz" in props else {}),
    }


def _shapes_file(config: pytest.Config, worker: str) -> Path:
    return config.rootpath / OUTPUT_DIR / f".shapes-{config.stash[RUN].id}-{worker}.json"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    shapes = [{"engine": e, "operation": o, "status": s, "api": a, "fields": f}
              for (e, o, s, a), f in config.stash[SHAPES].items()]
    if worker:  # the controller gathers the workers' shapes from their files
        _shapes_file(config, worker).parent.mkdir(parents=True, exist_ok=True)
        _shapes_file(config, worker).write_text(json.dumps(shapes))
        return
    for path in (config.rootpath / OUTPUT_DIR).glob(f".shapes-{config.stash[RUN].id}-gw*.json"):
        shapes += json.loads(path.read_text())
        path.unlink()
    tests = [_test_record(r) for r in config.stash[_REPORTS].values()]
    tests += results.reach(tests)
    if any(t["status"] == results.FAIL for t in tests if t["flow"] == "test_reach") and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a reach below target fails the run like a failed test
    engines = {}
    for report in config.stash[_REPORTS].values():
        for name, value in report.user_properties:
            if name == "engine_identity":
                engines.update(value)
    versions = sorted({e["api_version"] for e in engines.values() if e.get("api_version")}
                      | {t["api_version"] for t in tests if t["api_version"]} | {s["api"] for s in shapes})
    data = {
        "format": results.FORMAT,
        "run": {"finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "args": config.invocation_params.args,
                "exit_status": int(session.exitstatus)},
        "engines": engines, "tests": tests, "shapes": shapes,
        "errata": sorted({e.id for v in versions for e in applicable(v)}),
        "versions": versions,
        "specs": _spec_sources(versions, config.stash[SETTINGS].spec_dir),
    }
    config.stash[RESULTS] = data
    if engines or tests:
        results.write(data, config.rootpath / config.stash[SETTINGS].results)
        _shorten_environment(config, data)


def _spec_sources(versions: list[str], spec_dir) -> dict[str, str]:
    """Where the spec of each API version came from: baselines hold for moby's api/docs specs."""
    from openapi.specs import SpecUnavailable, load_spec

    sources = {}
    for version in versions:
        try:
            sources[version] = load_spec(version, spec_dir).get("x-source", "?")
        except SpecUnavailable as error:
            sources[version] = f"unavailable: {error}"
    return sources


def _shorten_environment(config: pytest.Config, data: dict) -> None:
    """The HTML report's Environment block comes first: keep it to a few lines, so the matrix shows at once."""
    try:
        from pytest_metadata.plugin import metadata_key
    except ImportError:
        return
    metadata = config.stash.get(metadata_key, None)
    if metadata is None:
        return
    packages = metadata.get("Packages", {})
    metadata.clear()
    metadata["Engines"] = ", ".join(f"{name} {e.get('version')}" for name, e in sorted(data["engines"].items()))
    metadata["Suite"] = f"pytest {packages.get('pytest', '?')}, results in {config.stash[SETTINGS].results}"


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    data = config.stash.get(RESULTS, {})
    if data.get("engines"):
        _engines_summary(terminalreporter, data)
    reach = [t for t in data.get("tests", []) if t["flow"] == "test_reach"]
    if reach:
        terminalreporter.section(f"fuzz reach (operations that reached a 2xx answer, target {results.REACH_TARGET:.0%})")
    for test in reach:
        terminalreporter.write_line(f"{test['engine']} {test['transport']}: {test['reach']['reached']}/"
                                    f"{test['reach']['operations']} operations reached 2xx {test['status'].upper()}")
    if data.get("engines") or reach:
        terminalreporter.write_line(f"results: {config.stash[SETTINGS].results}")


def _engines_summary(terminalreporter, data: dict) -> None:
    terminalreporter.section("engines")
    for name, engine in data["engines"].items():
        terminalreporter.write_line(
            f"{name}: {engine['version']} (API {engine['api_version']}, min {engine['min_api_version']}) "
            f"{engine['image'] or 'external'} profile={engine['profile']} ready={engine['ready_seconds'] or 0:.2f} s "
            f"baseline={engine.get('baseline') or 'none'}")
    terminalreporter.section("conformance (passed/total by engine and area)")
    for line in html.matrix_text(data):
        terminalreporter.write_line(line)


def pytest_html_results_summary(prefix, summary, postfix, session) -> None:
    data = session.config.stash.get(RESULTS, {})
    if data.get("tests"):
        prefix.append(html.report_sections(data, session.config.stash[SETTINGS].spec_dir))
