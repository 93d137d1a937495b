"""API coverage: requests matched to spec operations; only a test's own calls cover; merges combine."""

import json

from reports import __main__ as cli
from reports import coverage, results
from tests.test_reports import _results, _test

SPEC = {
    "paths": {
        "/containers/json": {"get": {}},
        "/containers/{id}/json": {"get": {}},
        "/containers/{id}": {"delete": {}},
        "/images/{name}/json": {"get": {}},
        "/_ping": {"get": {}, "head": {}},
    }
}


def _call(
    method, path, test="suites/test_containers.py::test_a[docker-28.5-unix]", phase="call", status=200, checked=False
):
    return {
        "method": method,
        "path": path,
        "status": status,
        "engine": "docker-28.5",
        "transport": "unix",
        "test": test,
        "phase": phase,
        "checked": checked,
    }


def test_requests_are_matched_to_operations_and_only_a_tests_own_calls_cover():
    calls = [
        _call("GET", "/v1.51/containers/json?all=1"),
        _call("GET", "/v1.51/containers/abc/json", status=404),
        _call("GET", "/v1.51/images/library/alpine:latest/json"),  # a name with a slash
        _call("DELETE", "/v1.51/containers/abc", phase="teardown", checked=True),  # a fixture's: not covered
        _call("HEAD", "/_ping", test="suites/test_fuzz.py::test_operation[docker-28.5-unix-HEAD /_ping]"),
        _call("GET", "/v1.51/nothing"),
    ]
    cov = coverage.measure(calls, SPEC, "1.51")
    assert sorted(cov["calls"]) == [
        "DELETE /containers/{id}",
        "GET /containers/json",
        "GET /containers/{id}/json",
        "GET /images/{name}/json",
        "HEAD /_ping",
    ]
    assert cov["calls"]["GET /containers/{id}/json"]["statuses"] == [404]
    assert cov["calls"]["GET /containers/json"]["tests"] == ["suites/test_containers.py::test_a"]
    assert coverage.totals(cov) == {"scenario": 3, "fuzz": 1, "checked": 1, "operations": 6}
    assert coverage.uncovered(cov, SPEC) == ["DELETE /containers/{id}", "GET /_ping", "HEAD /_ping"]
    assert len(coverage.unchecked(cov, SPEC)) == 3  # covered by a scenario, but no answer of theirs was checked
    assert cov["unmatched"] == ["GET /v1.51/nothing"]


def test_merged_results_combine_coverage_and_the_cli_prints_the_uncovered(tmp_path, capsys, monkeypatch):
    one = {
        **_results("docker-28.5", [_test("docker-28.5", "test_a", "Pass")]),
        "coverage": coverage.measure([_call("GET", "/containers/json")], SPEC, "1.51"),
    }
    two = {
        **_results("podman-5.8", [_test("podman-5.8", "test_a", "Pass")]),
        "coverage": coverage.measure([_call("GET", "/_ping")], SPEC, "1.51"),
    }
    merged = results.merge([one, two])
    assert coverage.totals(merged["coverage"])["scenario"] == 2
    (tmp_path / "r.json").write_text(json.dumps(merged))
    monkeypatch.setattr("openapi.specs.load_spec", lambda version, spec_dir=None: SPEC)
    assert cli.main(["coverage", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "coverage: 2/6 operations scenario-covered, 0/6 fuzz-reached" in out
    assert "uncovered: HEAD /_ping" in out and "uncovered: GET /_ping" not in out
    assert "unchecked: GET /containers/json" in out  # called by a scenario, never checked where received
    assert cli.main(["coverage", "--require-all", str(tmp_path / "r.json")]) == 1  # CI's guard against lost coverage


def test_transcript_lines_give_the_calls(tmp_path):
    test = "suites/test_fuzz.py::test_operation[docker-28.5-GET /containers/json-unix]"  # an id with a space
    log = tmp_path / "transcript.log"
    log.write_text(
        "GET /v1.51/info 200 (3.1 ms) [docker-28.5 tls] suites/test_system.py::test_info[docker-28.5-tls]\n"
        '  < {"ID": "x"}\n'
        f"GET /v1.51/containers/json 200 (1.1 ms, call) [docker-28.5-fuzz unix] {test}\n"
    )
    calls = coverage.transcript_calls(log)
    assert [(c["engine"], c["transport"], c["test"]) for c in calls] == [
        ("docker-28.5", "tls", "suites/test_system.py::test_info[docker-28.5-tls]"),
        ("docker-28.5-fuzz", "unix", test),
    ]
