"""Collects the run's results from test reports (so that it works under xdist too) and writes them.

Writes reports/output/results.json, prints the engines and the engine x area matrix at the end,
and puts the summary, drill-down and drift views into the pytest-html report.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from openapi.errata import applicable
from openapi.shapes import fold
from openapi.specs import SpecUnavailable, fallback_note, judged_with, load_spec, set_versions
from reports import contract, coverage, drift, html, results, verdict

AREAS = (
    "system",
    "containers",
    "images",
    "networks",
    "volumes",
    "exec",
    "plugins",
    "swarm",
    "session",
    "transports",
    "clients",
    "fuzz",
)
RESULTS = pytest.StashKey[dict]()
_SHAPES = pytest.StashKey[dict]()  # results.shape_key -> shape record, gathered from the tests' reports
_REPORTS = pytest.StashKey[dict]()  # nodeid -> the report that decides the test's status
_CALLS = pytest.StashKey[list]()  # every API call: {method, path, status, engine, transport, test, phase}
_STARTED = pytest.StashKey[float]()  # when the run began (epoch seconds), for its wall time


def pytest_configure(config: pytest.Config) -> None:
    # Short tracebacks, without the long style's dump of every fixture argument (sessions, clients):
    # the failure cards hold the whole cause; --tb=long and -l still work when asked for.
    if getattr(config.option, "tbstyle", "auto") == "auto":
        config.option.tbstyle = "short"
    config.stash[_STARTED] = time.time()
    config.stash[_SHAPES] = {}
    config.stash[_CALLS] = []
    config.stash[_REPORTS] = {}
    config.stash[RESULTS] = {}


def _results_path(config: pytest.Config) -> Path:
    return config.rootpath / config.getoption("results")


def _spec_dir(config: pytest.Config) -> Path | None:
    spec_dir = config.getoption("spec_dir")
    return Path(spec_dir).resolve() if spec_dir else None


def _area(item: pytest.Item) -> str:
    return next((a for a in AREAS if item.get_closest_marker(a)), item.path.stem.removeprefix("test_"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    """After the fixtures: what the test is about (the api fixtures record the API version they call)."""
    yield
    params = getattr(item, "callspec", None)
    api_version = next((value for name, value in item.user_properties if name == contract.API_VERSION), None)
    item.user_properties.append(
        (
            contract.META,
            {
                "engine": params.params.get("engine_name") if params else None,
                "transport": params.params.get("transport") if params else None,
                "area": _area(item),
                "flow": item.originalname,
                "api_version": api_version,
                **({"case": params.params["case"]} if params and "case" in params.params else {}),
            },
        )
    )


def _keep_shapes(config: pytest.Config, report: pytest.TestReport) -> None:
    """Merge the response shapes a test recorded, and take them off its report (JUnit would list them all)."""
    shapes = config.stash[_SHAPES]
    for _, shape in [p for p in report.user_properties if p[0] == contract.SHAPE]:
        key = results.shape_key(shape)
        fold(
            shapes.setdefault(key, {k: v for k, v in shape.items() if k not in ("fields", "values", "headers")}), shape
        )
    for _, calls in [p for p in report.user_properties if p[0] == contract.CALLS]:
        for method, path, status, label, phase, *checked in calls:  # checked: runs made before it was recorded
            engine, _, transport = label.partition(" ")
            config.stash[_CALLS].append(
                {
                    "method": method,
                    "path": path,
                    "status": status,
                    "engine": engine,
                    "transport": transport,
                    "test": report.nodeid,
                    "phase": phase,
                    "checked": bool(checked and checked[0]),
                }
            )
    report.user_properties = [p for p in report.user_properties if p[0] not in (contract.SHAPE, contract.CALLS)]


_CONFIG: list[pytest.Config] = []  # pytest_runtest_logreport is not given the config


def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG[:] = [session.config]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_logreport(report: pytest.TestReport):
    """Keep the report that decides each test's status; around every other consumer of the report (JUnit
    among them), its shapes are taken off and its other properties are written as JSON."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        yield  # the controller gathers what the workers' reports carry
        return
    _keep_shapes(_CONFIG[0], report)
    _keep_deciding(_CONFIG[0].stash[_REPORTS], report)
    properties = report.user_properties
    report.user_properties = [(name, v if isinstance(v, str) else json.dumps(v)) for name, v in properties]
    try:
        yield
    finally:
        report.user_properties = properties


def _keep_deciding(seen: dict, report: pytest.TestReport) -> None:
    """A failure in any phase over a skip over a pass; a tie: the later phase knows more."""
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    previous = seen.get(report.nodeid)
    if previous is None or rank[report.outcome] >= rank[previous.outcome]:
        report.total_duration = report.duration + getattr(previous, "total_duration", 0.0)
        seen[report.nodeid] = report
    else:
        previous.total_duration += report.duration
        previous.user_properties = [
            *previous.user_properties,
            *(p for p in report.user_properties if p[0] == contract.WAITED_S),
        ]


def _message(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    if hasattr(report, "wasxfail"):
        return report.wasxfail
    lines = _plain_lines(report.longreprtext or "")
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    # The harness's own words lead, for results.status_of to read their prefix: also when they come after
    # the exception they were raised while handling ("During handling of the above exception ...").
    said = [line.removeprefix("AssertionError: ") for line in errors or lines]
    harness = [line for line in said if line.startswith(contract.HARNESS_PREFIX)]
    return (harness or said or [""])[0][:500]


CAUSE_LINES = 60  # a cause longer than this is cut, saying so


def _cause(report: pytest.TestReport) -> list[str]:
    """Every line of the failure's cause: all the assertion's lines (pytest's "E" lines), not the first only."""
    if not report.failed:
        return []
    text = report.longreprtext or ""
    lines = [line[1:].strip() if line.startswith("E ") else None for line in text.splitlines()]
    cause = [line for line in lines if line] or _plain_lines(text)  # pytest.fail(pytrace=False): no "E" lines
    cause = [line.removeprefix("AssertionError: ") for line in cause] or [_message(report)]
    if len(cause) > CAUSE_LINES:
        cause = cause[:CAUSE_LINES] + [f"... ({len(cause) - CAUSE_LINES} more lines in the pytest-html row)"]
    return cause


XDIST_HEADER = re.compile(r"^\[gw\d+\] \S+ -- Python ")  # the line xdist puts before a worker's failure


def _plain_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not XDIST_HEADER.match(line)]


def _test_record(report: pytest.TestReport) -> dict:
    props = dict(
        p
        for p in report.user_properties
        if p[0] not in (contract.SCHEMA_MISMATCH, contract.FUZZ_FINDING, contract.SHAPE)
    )
    meta = props.get(contract.META, {})
    message = props.get(contract.CAUSE) or _message(report)
    longrepr = report.longreprtext or ""
    xfail = hasattr(report, "wasxfail") or "[XPASS(strict)]" in longrepr
    status, known = results.status_of(
        report.outcome, report.when, message, xfail, assertion="AssertionError" in longrepr
    )
    return {
        "id": report.nodeid,
        "engine": meta.get("engine"),
        "transport": meta.get("transport"),
        "area": meta.get("area", "other"),
        "flow": meta.get("flow", report.nodeid.split("::")[-1]),
        **({"case": meta["case"]} if "case" in meta else {}),  # a table-driven test's row
        "api_version": meta.get("api_version"),
        "status": status,
        "known": known,
        "message": "" if status == contract.PASS and not known else message,
        **({"failure": props[contract.FAILURE]} if contract.FAILURE in props else {}),  # a known failure's own words
        "duration": round(getattr(report, "total_duration", report.duration), 3),
        "waited_s": props.get(contract.WAITED_S, 0.0),  # slept between polls (fixtures/wait.py), for perf.bench
        "schema_mismatches": [value for name, value in report.user_properties if name == contract.SCHEMA_MISMATCH],
        "curl": props.get(contract.CURL),
        "cause": _cause(report),
        "exchange": props.get(contract.EXCHANGE),
        **{key: props[key] for key in contract.CLIENT_FIELDS if key in props},
        **(
            {
                "fuzz": props[contract.FUZZ],
                "fuzz_findings": [v for n, v in report.user_properties if n == contract.FUZZ_FINDING],
            }
            if contract.FUZZ in props
            else {}
        ),
    }


def _workers(config: pytest.Config) -> int:
    """xdist's workers (`-n N` makes N `popen` gateways, `--tx 2*popen` two); 0 without xdist."""
    specs = getattr(config.option, "tx", None) or []
    return sum(int(spec.split("*", 1)[0]) if "*" in spec else 1 for spec in specs)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    shapes = list(config.stash[_SHAPES].values())
    tests = [_test_record(r) for r in config.stash[_REPORTS].values()]
    tests += results.reach(tests)
    if any(t["status"] == contract.FAIL for t in tests if t["flow"] == "test_reach") and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a reach below target fails the run like a failed test
    engines = {}
    for report in config.stash[_REPORTS].values():
        for name, value in report.user_properties:
            if name == contract.ENGINE_IDENTITY:
                engines.update(value)
    versions = sorted(
        {e["api_version"] for e in engines.values() if e.get("api_version")}
        | {t["api_version"] for t in tests if t["api_version"]}
        | {s["api"] for s in shapes}
    )
    data = {
        "format": results.FORMAT,
        "run": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(config.stash[_STARTED])),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "wall_s": round(time.time() - config.stash[_STARTED], 1),  # from pytest's start, collection included
            "args": config.invocation_params.args,
            "workers": _workers(config),
            "exit_status": int(session.exitstatus),
        },
        "engines": engines,
        "tests": tests,
        "shapes": shapes,
        "errata": _errata_applied(versions, _spec_dir(config)),
        "versions": versions,
        "specs": _spec_sources(versions, _spec_dir(config)),
        "spec_fallbacks": _spec_fallbacks(versions, _spec_dir(config)),
        "coverage": _coverage(config.stash[_CALLS], _spec_dir(config)),
    }
    data["spec_shapes"] = drift.spec_shapes(data, lambda version: load_spec(version, _spec_dir(config)))
    config.stash[RESULTS] = data
    if engines or tests:
        results.write(data, _results_path(config))
        _shorten_environment(config, data)


def _coverage(calls: list[dict], spec_dir) -> dict | None:
    """Every call matched to its operation in the newest spec of the set (see reports/coverage.py)."""
    version = max(set_versions(), key=lambda v: tuple(map(int, v.split("."))))
    try:
        return coverage.measure(calls, load_spec(version, spec_dir), version)
    except SpecUnavailable:
        return None


def _spec_sources(versions: list[str], spec_dir) -> dict[str, str]:
    """Where the spec of each API version came from: baselines hold for moby's api/docs specs."""
    sources = {}
    for version in versions:
        try:
            sources[version] = load_spec(version, spec_dir).get("x-source", "?")
        except SpecUnavailable as error:
            sources[version] = f"unavailable: {error}"
    return sources


def _errata_applied(versions: list[str], spec_dir) -> list[str]:
    """The errata of the specs the versions were judged with."""
    return sorted({e.id for v in versions for e in applicable(judged_with(v, spec_dir))})


def _spec_fallbacks(versions: list[str], spec_dir) -> list[str]:
    """ "API 1.52 judged with the 1.51 spec" for each version newer than every spec held."""
    return [note for note in (fallback_note(version, spec_dir) for version in versions) if note]


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
    metadata["Suite"] = f"pytest {packages.get('pytest', '?')}, results in {config.getoption('results')}"


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    data = config.stash.get(RESULTS, {})
    if data.get("tests"):
        terminalreporter.section("verdict (red only for what is new; known: in the engine's baseline)")
        for line in verdict.verdict_lines(data):
            failed = ": FAIL" in line or line.startswith("  new")
            terminalreporter.write_line(line, red=failed, bold=": FAIL" in line, green=": PASS" in line)
    if data.get("engines"):
        _engines_summary(terminalreporter, data)
    reach = [t for t in data.get("tests", []) if t["flow"] == "test_reach"]
    if reach:
        terminalreporter.section("fuzz reach (operations fuzzed that reached a 2xx answer)")
    for test in reach:
        terminalreporter.write_line(
            f"{test['engine']} {test['transport']}: {test['reach']['reached']}/"
            f"{test['reach']['operations']} operations reached 2xx (target {test['reach'].get('target', 0):.0%}) "
            f"{test['status'].upper()}",
            red=test["status"] == contract.FAIL,
        )
        for line in html.unreached_lines(test["reach"].get("unreached", [])):
            terminalreporter.write_line(f"  {line}")
    if data.get("engines") or reach:
        terminalreporter.write_line(f"results: {config.getoption('results')}")


def _engines_summary(terminalreporter, data: dict) -> None:
    terminalreporter.section("engines")
    for name, engine in data["engines"].items():
        terminalreporter.write_line(
            f"{name}{' (' + engine['description'] + ')' if engine.get('description') else ''}: "
            f"{engine['version']} (API {engine['api_version']}, min {engine['min_api_version']}) "
            f"{engine['image'] or 'external'} profile={engine['profile']} ready={engine['ready_seconds'] or 0:.2f} s "
            f"baseline={engine.get('baseline') or 'none'}"
        )
    for note in data.get("spec_fallbacks", []):
        terminalreporter.write_line(f"{note}: no newer spec is held (python -m openapi fetch --release brings one)")
    terminalreporter.section("conformance (passed/total by engine and area)")
    for line in html.matrix_text(data):
        terminalreporter.write_line(line)


def pytest_html_report_title(report) -> None:
    """The page title names the engines and the date, not "report.html" (pytest-html asks at the session's start)."""
    engines = ", ".join(_CONFIG[0].getoption("engine") or ["the default engine"]) if _CONFIG else "engines"
    report.title = f"Engine API conformance: {engines}, {time.strftime('%Y-%m-%d')}"


def pytest_html_results_summary(prefix, summary, postfix, session) -> None:
    data = session.config.stash.get(RESULTS, {})
    if data.get("tests"):
        prefix.append(html.report_sections(data, _spec_dir(session.config)))
