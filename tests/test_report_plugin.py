"""The results the suite's plugins write, from small pytest runs in-process (pytester): no engine."""

import json
from pathlib import Path

import pytest

import fixtures.baselines
import reports.collect

ROOT = Path(__file__).resolve().parent.parent  # workers of an xdist run import the suite's plugins from here
SUITE_PLUGINS = (
    "-p",
    "fixtures.options",
    "-p",
    "fixtures.engines.plugin",
    "-p",
    "fixtures.client.plugin",
    "-p",
    "fixtures.baselines",
    "-p",
    "reports.collect",
    "-p",
    "no:cacheprovider",
)


@pytest.fixture
def suite(pytester, monkeypatch, tmp_path):
    """Runs a pytest session with the suite's plugins and gives its results.json; module state restored after."""
    baselines = tmp_path / "baselines"
    baselines.mkdir()
    monkeypatch.setattr(fixtures.baselines, "BASELINE_DIR", baselines)
    fixtures.baselines.load_baseline.cache_clear()

    def run(*args):
        outer = list(reports.collect._CONFIG)  # the inner session takes it over: the outer one's comes back after
        try:
            result = pytester.runpytest(*SUITE_PLUGINS, *args)
        finally:
            reports.collect._CONFIG[:] = outer
        path = pytester.path / "reports" / "output" / "results.json"
        data = json.loads(path.read_text()) if path.is_file() else {}
        return result, {t["flow"]: (t["status"], t["known"]) for t in data.get("tests", [])}

    run.baselines = baselines
    yield run
    fixtures.baselines.load_baseline.cache_clear()


STATUSES = """
import pytest

@pytest.fixture
def refused():
    raise ConnectionError("refused")

@pytest.fixture
def swarm():
    assert False, "harness: POST /swarm/init 500: node is already part of a swarm"

@pytest.fixture
def made():
    yield
    assert not ["c1"], "harness: could not remove ['c1']"

def test_passes(engine_name, transport):
    pass

def test_fails(engine_name, transport):
    assert 500 == 400

def test_harness_assertion(engine_name, transport):
    assert False, "harness: no case of GET /info could be sent"

def test_harness_assertion_in_setup(engine_name, transport, swarm):
    pass

def test_harness_failure_while_handling_an_error(engine_name, transport):
    try:
        raise RuntimeError("cannot get the spec of API 1.51")
    except RuntimeError as error:
        pytest.fail(f"harness: {error}", pytrace=False)

def test_harness_assertion_in_teardown(engine_name, transport, made):
    pass

def test_exception_in_a_fixture(engine_name, transport, refused):
    pass

def test_unsupported(engine_name, transport):
    pytest.skip("unsupported: podman does not implement plugins")

def test_disabled(engine_name, transport):
    pytest.skip("external engine unix:///x is reached only over unix")

@pytest.mark.xfail(strict=True, reason="baseline: 500 without timeout (link)")
def test_known(engine_name, transport):
    assert 500 == 200

@pytest.mark.xfail(strict=True, reason="baseline: 500 without timeout (link)")
def test_fixed(engine_name, transport):
    pass
"""


def test_statuses_of_tests_in_results_json(suite, pytester):
    pytester.makepyfile(test_statuses=STATUSES)
    _, statuses = suite("--transport", "unix")
    assert statuses == {
        "test_passes": ("Pass", False),
        "test_fails": ("Fail", False),
        "test_harness_assertion": ("Error", False),
        "test_harness_assertion_in_setup": ("Error", False),
        "test_harness_failure_while_handling_an_error": ("Error", False),
        "test_harness_assertion_in_teardown": ("Error", False),
        "test_exception_in_a_fixture": ("Error", False),
        "test_unsupported": ("Unsupported", False),
        "test_disabled": ("Disabled", False),
        "test_known": ("Fail", True),
        "test_fixed": ("Pass", True),  # strict XPASS: the engine conforms now, the baseline entry is stale
    }


def test_a_harness_assertion_keeps_its_message_without_the_exception_name(suite, pytester):
    pytester.makepyfile(test_statuses=STATUSES)
    suite("--transport", "unix", "-k", "test_harness_assertion")
    data = json.loads((pytester.path / "reports" / "output" / "results.json").read_text())
    messages = {t["flow"]: t["message"] for t in data["tests"]}
    assert messages["test_harness_assertion"] == "harness: no case of GET /info could be sent"


SPEC = """
swagger: "2.0"
paths:
  /info:
    get:
      responses:
        200:
          schema: {type: object, properties: {Plugins: {type: array}, Name: {type: string}}}
definitions: {}
"""

BASELINE = """
schema:
- {operation: GET /info, path: /Plugins, reason: null for an empty list, link: x}
- {operation: GET /info, path: /Warnings, reason: null for an empty list, link: x}
fuzz:
- {operation: GET /x*, check: Server error, class: engine, reason: 500 for bad input, link: x}
- {operation: GET /y, check: Server error, class: engine, reason: 500 for bad input, link: x}
"""

SEEN = """
import json
import types

import pytest
import requests

from fixtures.fuzz.runner import Finding, Outcome
from fixtures.fuzz.plugin import judge


@pytest.fixture
def engine():
    return types.SimpleNamespace(name="docker-28.5", api_version="1.51", version={"ApiVersion": "1.51"},
                                 spec=types.SimpleNamespace(kind="docker"), image=None, image_id=None,
                                 profile="fake", ready_seconds=None, addresses={})


def test_schema(engine_name, transport, check):
    answer = requests.Response()
    answer.status_code, answer._content = 200, json.dumps({"Plugins": None, "Name": "x"}).encode()
    answer.headers["Content-Type"] = "application/json"
    answer.request = requests.Request("GET", "http://docker.sock/v1.51/info").prepare()
    check(answer, 200, "GET /info")


@pytest.mark.fuzz
@pytest.mark.parametrize("engine_name", ["docker-28.5"])
def test_fuzz(engine_name, request):
    outcome = Outcome("GET /xa")
    outcome.add(Finding("GET /xa", "Server error", "500", 500, "curl ..."))
    judge(outcome, engine_name, request)
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_baseline_entries_not_seen_are_listed_by_the_controller(suite, pytester, monkeypatch, workers):
    """Under xdist the tests run in workers: what they saw must reach the controller's summary."""
    (suite.baselines / "docker-28.5.yaml").write_text(BASELINE)
    specs = pytester.mkdir("specs")
    (specs / "v1.51.yaml").write_text(SPEC)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(
        f"import fixtures.baselines, pathlib\n"
        f"fixtures.baselines.BASELINE_DIR = pathlib.Path({str(suite.baselines)!r})\n"
    )
    pytester.makepyfile(test_seen=SEEN)
    result, statuses = suite(
        "-p", "fixtures.scenario.plugin", "--transport", "unix", "--spec-dir", str(specs), "-v", *workers
    )
    assert statuses == {"test_schema": ("Pass", False), "test_fuzz": ("Pass", False)}
    result.stdout.fnmatch_lines(
        [
            "*schema and fuzz baseline entries not seen in this run*",
            "docker-28.5: GET /info /Warnings",
            "docker-28.5 fuzz: GET /y Server error",
        ]
    )
    assert "GET /info /Plugins" not in result.stdout.str()
    assert "GET /x* Server error" not in result.stdout.str()


FUZZED = """
import pytest

REACHED = {("unix", "GET /a"): 2, ("unix", "GET /b"): 0, ("unix", "GET /c"): 0,
           ("tcp", "GET /a"): 1, ("tcp", "GET /b"): 3, ("tcp", "GET /c"): 1}

@pytest.mark.fuzz
@pytest.mark.parametrize("engine_name", ["docker-28.5"])
@pytest.mark.parametrize("operation", ["GET /a", "GET /b", "GET /c"])
@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_operation(engine_name, operation, transport, request):
    request.node.user_properties.append(("fuzz", {"operation": operation, "cases": 4,
                                                  "reached_2xx": REACHED[transport, operation]}))

@pytest.mark.fuzz
@pytest.mark.parametrize("engine_name", ["docker-28.5"])
@pytest.mark.parametrize("transport", ["unix"])
def test_stateful(engine_name, transport, request):  # sequences, not operations: no part of the reach
    request.node.user_properties.append(("fuzz", {"operation": "stateful", "cases": 9, "reached_2xx": 9}))
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_fuzz_reach_is_judged_at_the_end_of_the_run_from_every_process(suite, pytester, monkeypatch, workers):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_fuzzed=FUZZED)
    result, _ = suite(*workers)
    data = json.loads((pytester.path / "reports" / "output" / "results.json").read_text())
    reach = {t["id"]: (t["status"], t["area"], t["message"]) for t in data["tests"] if t["flow"] == "test_reach"}
    assert reach == {
        "suites/test_fuzz.py::test_reach[docker-28.5-tcp]": ("Pass", "fuzz", ""),
        "suites/test_fuzz.py::test_reach[docker-28.5-unix]": (
            "Fail",
            "fuzz",
            "1/3 operations reached 2xx (target 90%); never: GET /b, GET /c",
        ),
    }
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # every test passed: the reach fails the run
    result.stdout.fnmatch_lines(
        ["*fuzz reach*", "docker-28.5 unix: 1/3 operations reached 2xx (target 90%) FAIL", "  GET /b: *", "  GET /c: *"]
    )
