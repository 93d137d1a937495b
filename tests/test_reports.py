"""The results model, shapes, the gate and the merge, on small hand-made result sets."""

import fnmatch
import json

import pytest

from openapi.shapes import body_shape, diff, generalize, schema_shape
from reports import __main__ as cli
from reports import html, results
from reports.compare import compare
from reports.results import ResultsError, status_of


def _test(engine, flow, status, transport="unix", area="containers", mismatches=()):
    return {
        "id": f"suites/test_{area}.py::{flow}[{engine}-{transport}]",
        "engine": engine,
        "transport": transport,
        "area": area,
        "flow": flow,
        "api_version": "1.51",
        "status": status,
        "known": False,
        "message": "",
        "duration": 0.1,
        "schema_mismatches": list(mismatches),
        "curl": None,
    }


def _results(engine, tests, shapes=(), api="1.51"):
    return {
        "format": 1,
        "run": {},
        "engines": {engine: {"version": "x", "api_version": api}},
        "tests": tests,
        "shapes": list(shapes),
        "errata": [],
        "versions": [api],
    }


@pytest.mark.parametrize(
    "outcome, when, message, xfail, assertion, expected",
    [
        ("passed", "call", "", False, False, ("Pass", False)),
        ("failed", "call", "assert 500 == 400", False, True, ("Fail", False)),
        ("skipped", "call", "baseline: ...", True, False, ("Fail", True)),
        ("failed", "call", "[XPASS(strict)] baseline", True, False, ("Pass", True)),
        ("skipped", "setup", "unsupported: podman does not implement plugins", False, False, ("Unsupported", False)),
        ("skipped", "setup", "external engine is reached only over unix", False, False, ("Disabled", False)),
        ("failed", "setup", "harness: docker-28.5 could not start", False, False, ("Error", False)),
        ("failed", "setup", "ConnectionError: refused", False, False, ("Error", False)),
    ],
)
def test_status_of_a_test(outcome, when, message, xfail, assertion, expected):
    assert status_of(outcome, when, message, xfail, assertion) == expected


def test_body_shape_merges_array_items_and_collapses_map_keys():
    body = [{"Id": "a", "Labels": {"Foo": "x"}, "Ports": {"80/tcp": None}}, {"Id": "b", "Names": None}]
    assert body_shape(body) == {
        "/*": "object",
        "/*/Id": "string",
        "/*/Labels": "object",
        "/*/Labels/*": "string",
        "/*/Ports": "object",
        "/*/Ports/*": "null",
        "/*/Names": "null",
    }


def test_schema_shape_resolves_references():
    spec = {"definitions": {"Port": {"type": "object", "properties": {"PrivatePort": {"type": "integer"}}}}}
    schema = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"Ports": {"type": "array", "items": {"$ref": "#/definitions/Port"}}},
        },
    }
    assert schema_shape(spec, schema) == {
        "/*": "object",
        "/*/Ports": "array",
        "/*/Ports/*": "object",
        "/*/Ports/*/PrivatePort": "number",
    }


def test_diff_ignores_null_beside_the_same_type():
    before = {"/A": "string", "/B": "array", "/C": "number"}
    after = {"/A": "string", "/B": "array|null", "/C": "string", "/D": "object"}
    assert diff(before, after) == {"added": ["/D"], "removed": [], "changed": [("/C", "number", "string")]}


def test_generalize_makes_baseline_patterns():
    assert generalize("/0/NetworkSettings/Networks/bridge/Aliases") == "/*/NetworkSettings/Networks/*/Aliases"


def test_compare_finds_regressions_fixes_and_drift_across_an_upgrade():
    shape = {"operation": "GET /info", "status": 200, "api": "1.45", "fields": {"/A": "string"}}
    old = _results(
        "docker-26.1",
        [_test("docker-26.1", "test_a", "Pass"), _test("docker-26.1", "test_b", "Fail")],
        [{**shape, "engine": "docker-26.1"}],
        api="1.45",
    )
    new = _results(
        "docker-28.5",
        [_test("docker-28.5", "test_a", "Fail"), _test("docker-28.5", "test_b", "Pass")],
        [{**shape, "engine": "docker-28.5", "api": "1.51", "fields": {"/A": "string", "/B": "number"}}],
    )
    comparison = compare(old, new)
    assert comparison.pairs == [("docker-26.1", "docker-28.5")]
    assert [line.split(": ")[0] for line in comparison.regressions] == [
        "suites/test_containers.py::test_a[docker-28.5-unix]"
    ]
    assert len(comparison.fixes) == 1 and comparison.shape_drift == ["GET /info 200 +/B"]
    assert comparison.gate_fails

    allowed = compare(old, new, [{"test": "*::test_a[*", "reason": "accepted in review"}])
    assert not allowed.gate_fails and "accepted in review" in allowed.allowed[0]


def test_new_harness_error_fails_the_gate():
    old = _results("e", [_test("e", "test_a", "Pass")])
    assert compare(old, _results("e", [_test("e", "test_a", "Error")])).gate_fails
    assert not compare(old, _results("e", [_test("e", "test_a", "Pass")])).gate_fails


def test_merge_gives_the_summary_of_one_run():
    one = _results("a", [_test("a", "t1", "Pass"), _test("a", "t2", "Fail", area="images")])
    two = _results("b", [_test("b", "t1", "Unsupported", area="plugins")])
    merged = results.merge([one, two])
    assert results.summary(merged) == {**results.summary(one), **results.summary(two)}
    assert set(merged["engines"]) == {"a", "b"}
    assert "unsupported" in html.matrix(merged)


def test_cli_exit_codes(tmp_path, capsys):
    base, cand = tmp_path / "base.json", tmp_path / "cand.json"
    base.write_text(json.dumps(_results("e", [_test("e", "test_a", "Pass")])))
    cand.write_text(json.dumps(_results("e", [_test("e", "test_a", "Fail")])))
    assert cli.main(["compare", str(base), str(base)]) == 0
    assert cli.main(["compare", str(base), str(cand)]) == 1
    assert "REGRESSION" in capsys.readouterr().out
    assert cli.main(["compare", str(base), str(tmp_path / "none.json")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert cli.main(["merge", str(base), str(cand), "--out", str(tmp_path / "m")]) == 0
    assert (tmp_path / "m" / "report.html").is_file()


def test_results_load_refuses_other_files(tmp_path):
    other = tmp_path / "junit.xml"
    other.write_text("<testsuites/>")
    with pytest.raises(ResultsError, match="not a results file"):
        results.load(other)


def test_merge_makes_its_report_from_the_runs_that_exist_and_names_those_missing(tmp_path, capsys):
    present, missing = tmp_path / "docker.json", tmp_path / "podman.json"
    present.write_text(json.dumps(_results("docker", [_test("docker", "test_a", "Pass")])))
    assert cli.main(["merge", str(present), str(missing), "--out", str(tmp_path / "m")]) == 1
    assert f"{missing} is missing" in capsys.readouterr().err
    assert str(missing) in (tmp_path / "m" / "report.html").read_text()
    assert cli.main(["merge", str(missing), "--out", str(tmp_path / "n")]) == 2


def test_reach_is_judged_only_when_every_operation_of_the_spec_was_fuzzed():
    def fuzzed(operation, reached, of):
        return {
            **_test("e", "test_operation", "Pass"),
            "transport": "unix",
            "fuzz": {"operation": operation, "reached_2xx": reached, "spec_operations": of},
        }

    whole = results.reach([fuzzed("GET /a", True, 2), fuzzed("GET /b", False, 2)])
    assert whole[0]["status"] == "Fail" and "1/2 operations reached 2xx" in whole[0]["message"]
    selection = results.reach([fuzzed("GET /a", False, 107)])
    assert selection[0]["status"] == "Disabled" and "judged only when all 107 operations" in selection[0]["message"]


def _fuzzed(engine, operation, reached, of=3, transport="unix", **summary):
    return {
        **_test(engine, "test_operation", "Pass"),
        "transport": transport,
        "fuzz": {"operation": operation, "cases": 2, "reached_2xx": reached, "spec_operations": of, **summary},
        "fuzz_findings": [],
    }


def test_the_reach_target_is_the_engine_familys():
    assert results.reach_target("docker-28.5") == 0.9
    assert results.reach_target("podman-5.8") == 0.8
    assert results.reach_target("external") == results.REACH_TARGET_OTHER
    nine_of_ten = [_fuzzed("x", f"GET /{i}", i > 0, of=10) for i in range(10)]
    docker = results.reach([{**t, "engine": "docker-28.5"} for t in nine_of_ten])[0]
    assert docker["status"] == "Pass" and docker["reach"]["target"] == 0.9
    eight_of_ten = [{**t, "engine": "podman-5.8"} for t in nine_of_ten[1:]] + [_fuzzed("podman-5.8", "GET /0", False)]
    eight_of_ten[0]["fuzz"]["reached_2xx"] = 0
    assert results.reach(eight_of_ten)[0]["status"] == "Pass"  # 8/10 on podman
    assert results.reach([{**t, "engine": "docker-28.5"} for t in eight_of_ten])[0]["status"] == "Fail"


def test_operations_the_engine_does_not_implement_drop_out_of_the_reach():
    """Podman's swarm and plugin operations are Unsupported: no fuzz summary, so neither reached nor missed; the
    run is judged as one of the whole spec."""
    fuzzed = [_fuzzed("podman-5.8", f"GET /{i}", i < 3, of=10) for i in range(5)]
    skipped = [{**_test("podman-5.8", "test_operation", "Unsupported"), "transport": "unix"} for _ in range(5)]
    record = results.reach(fuzzed + skipped)[0]
    assert record["status"] == "Fail" and record["message"].startswith("3/5 operations reached 2xx (target 80%)")
    assert record["reach"]["operations"] == 5 and record["reach"]["unsupported"] == 5
    assert results.reach(fuzzed + skipped[:4])[0]["status"] == "Disabled"  # one operation neither fuzzed nor skipped


@pytest.mark.parametrize(
    "summary, reason, detail",
    [
        (
            {"operation": "DELETE /nodes/{id}", "statuses": {"400": 3}, "lacks": {"worker-node": "no second engine"}},
            results.LACKS,
            "worker-node: no second engine",
        ),
        (
            {"operation": "GET /tasks/{id}/logs", "statuses": {"404": 7, "OPTIONS 200": 1}},
            results.LACKS,
            "every answer was 404: no case named an object the engine has",
        ),
        (
            {"operation": "POST /swarm/init", "statuses": {"400": 12, "404": 1, "503": 7}},
            results.REFUSED,
            "answered only 400, 503 (and 404 where a case named no object)",
        ),
        (
            {"operation": "POST /session", "statuses": {"101": 2, "400": 3}, "unreachable": ["spec", "switches"]},
            results.SPEC,
            "switches",
        ),
        ({"operation": "GET /containers/{id}/attach/ws", "statuses": {"101": 2}}, results.SPEC, "it answered 1xx*"),
        (
            {"operation": "PUT /volumes/{name}", "statuses": {"400": 10}, "unreachable": ["lacks", "a cluster volume"]},
            results.LACKS,
            "a cluster volume",
        ),
        (
            {"operation": "POST /x", "statuses": {"400": 1}, "notes": ["positive cases: Unsatisfiable"]},
            results.SPEC,
            "no valid case could be generated: positive cases: Unsatisfiable",
        ),
        ({"operation": "GET /y", "statuses": {"ReadTimeout": 2}}, results.REFUSED, "no answer: ReadTimeout"),
        ({"operation": "POST /volumes/create", "statuses": {"404": 1}}, results.REFUSED, "answered only 404"),
    ],
)
def test_an_operation_never_answered_2xx_is_classified_by_what_it_met(summary, reason, detail):
    """Statuses of other methods (OPTIONS of the coverage phase) are not the operation's answers."""
    found = results.unreached({"notes": [], **summary})
    assert found["reason"] == reason and fnmatch.fnmatch(found["detail"], detail)
    assert found["statuses"] == {k: v for k, v in summary["statuses"].items() if k.isdigit()}


def test_the_reach_record_lists_the_operations_never_answered_2xx_and_why():
    tests = [
        _fuzzed("docker-28.5", "GET /a", 3, statuses={"200": 3}),
        _fuzzed("docker-28.5", "POST /b", 0, statuses={"500": 2}),
        _fuzzed("docker-28.5", "GET /c/{id}", 0, statuses={"404": 2}),
    ]
    record = results.reach(tests)[0]
    assert record["reach"]["unreached"] == [
        {
            "operation": "GET /c/{id}",
            "reason": results.LACKS,
            "detail": results.unreached(tests[2]["fuzz"])["detail"],
            "statuses": {"404": 2},
        },
        {"operation": "POST /b", "reason": results.REFUSED, "detail": "answered only 500", "statuses": {"500": 2}},
    ]
    page = html.fuzz_section({"tests": tests + [record]})
    assert "POST /b" in page and results.REFUSED in page and "500: 2" in page and "1/3 operations reached 2xx" in page
    lines = html.unreached_lines(record["reach"]["unreached"])
    assert lines[1] == "POST /b: always refused by the engine (answered only 500) [500x2]"


def _without_field(data: dict, operation: str, field: str, retype: str | None = None) -> dict:
    """A copy of a run's results in which every answer of an operation lacks a field (or has it retyped)."""
    data = json.loads(json.dumps(data))
    for shape in data["shapes"]:
        if shape["operation"] == operation:
            fields = shape["fields"]
            for path in [p for p in fields if p == field or p.startswith(field + "/")]:
                if retype:
                    fields[path] = retype
                else:
                    del fields[path]
    return data


def _docker_28_5_run() -> dict:
    """A small docker-28.5 run: its GET /containers/json and GET /networks answers as a real run recorded them."""
    names = {"/*": "object", "/*/Id": "string", "/*/Names": "array", "/*/Names/*": "string", "/*/State": "string"}
    networks = {"/*": "object", "/*/Name": "string", "/*/Driver": "string", "/*/Labels": "object"}
    shapes = [
        {"engine": "docker-28.5", "operation": "GET /containers/json", "status": 200, "api": "1.51", "fields": names},
        {"engine": "docker-28.5", "operation": "GET /networks", "status": 200, "api": "1.51", "fields": networks},
    ]
    return _results("docker-28.5", [_test("docker-28.5", "test_list", "Pass")], shapes)


def test_compare_fails_on_a_removed_field_naming_it(tmp_path, capsys):
    base = _docker_28_5_run()
    cand = _without_field(base, "GET /containers/json", "/*/Names")
    (tmp_path / "base.json").write_text(json.dumps(base))
    (tmp_path / "cand.json").write_text(json.dumps(cand))
    assert cli.main(["compare", str(tmp_path / "base.json"), str(tmp_path / "cand.json")]) == 1
    out = capsys.readouterr().out
    removed = [line for line in out.splitlines() if line.startswith("REMOVED FIELD")]
    assert removed == [
        "REMOVED FIELD: docker-28.5 GET /containers/json 200 -/*/Names: "
        "returned by docker-28.5 (array), not by docker-28.5"
    ]  # the field once, not its items too
    assert "gate: FAIL" in out


def test_compare_fails_on_a_retyped_field_and_an_allow_entry_accepts_it(tmp_path):
    base = _docker_28_5_run()
    cand = _without_field(base, "GET /networks", "/*/Driver", retype="number")
    comparison = compare(base, cand)
    assert comparison.removed_fields == ["docker-28.5 GET /networks 200 /*/Driver: type string -> number"]
    assert comparison.gate_fails
    allowed = compare(base, cand, [{"field": "GET /networks 200 /*/Driver", "reason": "reviewed"}])
    assert not allowed.gate_fails and allowed.allowed


def test_compare_reports_added_fields_without_gating_and_an_empty_list_is_not_a_removal():
    base = _docker_28_5_run()
    cand = json.loads(json.dumps(base))
    cand["shapes"][1]["fields"]["/*/Scope"] = "string"
    cand["shapes"][0]["fields"] = {}  # the candidate's list came back empty: nothing to compare
    comparison = compare(base, cand)
    assert comparison.shape_drift == ["GET /networks 200 +/*/Scope"]
    assert comparison.removed_fields == [] and not comparison.gate_fails


def test_history_gives_each_engine_its_trend_in_the_order_of_the_nights(tmp_path):
    from reports import history

    good = _results("e", [_test("e", "test_a", "Pass"), _test("e", "test_b", "Pass")])
    bad = _results("e", [_test("e", "test_a", "Pass"), _test("e", "test_b", "Fail")])
    trend = history.nights([("mon", good), ("tue", bad), ("wed", good)])
    assert [(p["night"], p["verdict"], p["passed"], p["new"]) for p in trend["e"]] == [
        ("mon", "PASS", 2, 0),
        ("tue", "FAIL", 1, 1),
        ("wed", "PASS", 2, 0),
    ]
    assert [bar["label"] for bar in history.timeline(trend["e"])["bars"]] == ["tue: 1 new"]
    for index, data in enumerate((good, bad)):
        (tmp_path / f"{index}.json").write_text(json.dumps(data))
    out = tmp_path / "history.html"
    assert cli.main(["history", str(tmp_path / "0.json"), str(tmp_path / "1.json"), "--out", str(out)]) == 0
    assert "<svg" in out.read_text() and "FAIL" in out.read_text()


def test_compare_takes_one_engine_of_each_file_when_told(tmp_path, capsys):
    matrix = _results("docker-28.5", [_test("docker-28.5", "test_a", "Pass")])
    matrix["tests"].append(_test("podman-5.8", "test_a", "Fail"))
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(matrix))
    assert cli.main(["compare", str(path), str(path), "--engines", "docker-28.5", "podman-5.8"]) == 1
    assert "test_a" in capsys.readouterr().out
    assert cli.main(["compare", str(path), str(path), "--engines", "docker-28.5", "docker-99"]) == 2


def test_drafted_fuzz_entries_carry_the_curl_of_the_first_case_that_met_them(tmp_path, capsys):
    import yaml

    def finding(curl, baseline=False):
        return {
            "operation": "HEAD /_ping",
            "check": "Missing Content-Type header",
            "status": 200,
            "count": 1,
            "message": "",
            "curl": curl,
            "baseline": baseline,
            "class": "engine",
        }

    first = {**_test("podman-5.8", "test_operation", "Fail", area="fuzz"), "fuzz_findings": [finding("curl -I A")]}
    second = {
        **_test("podman-5.8", "test_operation", "Fail", transport="tcp", area="fuzz"),
        "fuzz_findings": [finding("curl -I B"), {**finding("curl X"), "check": "Server error", "baseline": True}],
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_results("podman-5.8", [first, second], api="1.44")))
    assert cli.main(["baseline", str(path), "--section", "fuzz"]) == 0
    drafted = yaml.safe_load(capsys.readouterr().out)
    assert drafted == {
        "podman-5.8": {
            "fuzz": [
                {
                    "operation": "HEAD /_ping",
                    "check": "Missing Content-Type header",
                    "class": "engine",
                    "reason": "a response with a body carries no Content-Type",
                    "link": "https://docs.docker.com/reference/api/engine/version/v1.44/",
                    "curl": "curl -I A",
                }
            ]
        }
    }
