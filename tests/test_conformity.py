"""Answers checked against the spec where they are received: status, body, Content-Type, API-Version; judged
through the baseline; a stream by its status and headers; fuzz cases and pinned repeats left alone."""

import json
from types import SimpleNamespace

import pytest
import requests

import fixtures.baselines as baselines
from fixtures.client.conformity import CHECKED, KINDS, Conformity, answer_findings
from fixtures.client.transcript import Transcript
from fixtures.scenario.conformity import judge
from reports.contract import BASELINE_SEEN
from tests.test_report_plugin import ROOT, SUITE_PLUGINS

SPEC_TEXT = """
swagger: "2.0"
paths:
  /containers/{id}/attach/ws:
    get:
      responses:
        "101": {description: switching to a websocket}
        "404": {description: no such container, schema: {$ref: "#/definitions/ErrorResponse"}}
  /containers/{id}/logs:
    get:
      produces: [application/vnd.docker.raw-stream, application/vnd.docker.multiplexed-stream]
      responses:
        "200": {description: logs, schema: {type: string, format: binary}}
        "206": {description: "logs,\\ndoes not\\nset Content-Type", schema: {type: string, format: binary}}
        "404": {description: no such container, schema: {$ref: "#/definitions/ErrorResponse"}}
  /containers/{id}:
    delete:
      responses:
        "204": {description: removed}
        "404": {description: no such container, schema: {$ref: "#/definitions/ErrorResponse"}}
  /info:
    get:
      responses:
        "200":
          schema:
            type: object
            properties:
              Name: {type: string}
              Plugins: {type: object, properties: {Volume: {type: array, items: {type: string}}}}
        default: {schema: {$ref: "#/definitions/ErrorResponse"}}
definitions:
  ErrorResponse:
    type: object
    required: [message]
    properties: {message: {type: string}}
"""
SPEC = __import__("yaml").safe_load(SPEC_TEXT)
GOOD_HEADERS = {"Content-Type": "application/json", "API-Version": "1.51"}


def answer(method, path, status, body=b"", headers=GOOD_HEADERS, streamed=False):
    response = requests.Response()
    response.status_code = status
    response._content = False if streamed else (json.dumps(body).encode() if not isinstance(body, bytes) else body)
    response.headers.update(headers)
    response.request = requests.Request(method, f"http://docker.sock{path}").prepare()
    return response


def kinds(found):
    return [(f["kind"], f["path"], f["actual"]) for f in found]


def test_a_documented_answer_has_no_finding():
    assert answer_findings(SPEC, "DELETE /containers/{id}", "1.51", answer("DELETE", "/v1.51/containers/a", 204)) == []
    error = answer("DELETE", "/v1.51/containers/a", 404, {"message": "no such container"})
    assert answer_findings(SPEC, "DELETE /containers/{id}", "1.51", error) == []


def test_an_undocumented_status_is_a_finding_and_its_body_is_not_judged():
    conflict = answer("DELETE", "/v1.51/containers/a", 409, {"nothing": "like an error"})
    found = answer_findings(SPEC, "DELETE /containers/{id}", "1.51", conflict)
    assert kinds(found) == [("status", "", "409")]
    assert found[0]["expected"] == "one of 204, 404"


def test_a_default_response_documents_every_status_only_where_the_spec_has_one():
    assert answer_findings(SPEC, "GET /info", "1.51", answer("GET", "/info", 500, {"message": "down"})) == []


def test_an_error_body_is_validated_against_the_error_schema():
    error = answer("DELETE", "/v1.51/containers/a", 404, {"error": "no such container"})
    assert kinds(answer_findings(SPEC, "DELETE /containers/{id}", "1.51", error)) == [
        ("body", "", "{'error': 'no such container'}")
    ]
    not_json = answer(
        "DELETE", "/v1.51/containers/a", 404, b"no such container\n", {**GOOD_HEADERS, "Content-Type": "text/plain"}
    )
    assert [f["kind"] for f in answer_findings(SPEC, "DELETE /containers/{id}", "1.51", not_json)] == [
        "content-type",
        "body",
    ]


def test_a_nested_fields_type_is_a_finding_at_its_path():
    """A list item three levels down of another type is named by its path, and nothing else is."""
    nested = answer("GET", "/info", 200, {"Name": "x", "Plugins": {"Volume": ["local", 7]}})
    found = answer_findings(SPEC, "GET /info", "1.51", nested)
    assert [(f["kind"], f["path"]) for f in found] == [("body", "/Plugins/Volume/1")]
    assert "string" in found[0]["expected"]


def test_a_json_answer_must_say_application_json():
    wrong = answer("GET", "/info", 200, {"Name": "x"}, {**GOOD_HEADERS, "Content-Type": "text/plain; charset=utf-8"})
    assert kinds(answer_findings(SPEC, "GET /info", "1.51", wrong)) == [
        ("content-type", "Content-Type", "text/plain; charset=utf-8")
    ]


def test_every_answer_carries_api_version():
    bare = answer("DELETE", "/v1.51/containers/a", 204, headers={})
    assert kinds(answer_findings(SPEC, "DELETE /containers/{id}", "1.51", bare)) == [
        ("header", "API-Version", "absent")
    ]


@pytest.fixture
def checked(tmp_path):
    (tmp_path / "v1.51.yaml").write_text(SPEC_TEXT)
    transcript = Transcript(tmp_path / "transcript.log")
    transcript.conformity = Conformity(tmp_path, {"docker-28.5": "1.51"})
    transcript.test, transcript.phase = "suites/test_x.py::test_a[docker-28.5-unix]", "call"
    yield transcript
    transcript.close()


def test_answers_are_checked_once_per_finding_streams_by_status_and_headers_fuzz_cases_and_repeats_not(checked):
    conflict = answer("DELETE", "/containers/a", 409, {"message": "in use"})  # no prefix: the engine's own version
    checked.record(conflict, 0.001, label="docker-28.5 unix")
    checked.record(answer("DELETE", "/containers/a", 409, {"message": "in use"}), 0.001, label="docker-28.5 unix")
    assert getattr(conflict, CHECKED) and checked.calls[checked.test][0][-1] is True
    checked.repeating = True  # a pinned repeat at an older version: the upgrade view's
    checked.record(answer("DELETE", "/v1.41/containers/a", 409, {"message": "in use"}), 0.001, label="docker-28.5 unix")
    checked.repeating = False
    checked.record(answer("GET", "/info", 200, streamed=True), 0.001, label="docker-28.5 unix")
    found = checked.conformity.take(checked.test, "call")
    assert [(f["operation"], f["status"], f["api"], f["kind"]) for f in found] == [
        ("DELETE /containers/{id}", 409, "1.51", "status")
    ]
    checked.test = "suites/test_fuzz.py::test_operation[docker-28.5-unix-DELETE /containers/{id}]"
    checked.record(answer("DELETE", "/containers/a", 409, {"message": "in use"}), 0.001, label="docker-28.5-fuzz unix")
    assert checked.conformity.take(checked.test, "call") == []


def test_an_upgrade_is_checked_for_status_and_headers_and_its_stream_left_unread(tmp_path):
    """A 101 (attach, attach/ws, session) has no body to validate, but its status and API-Version are the API's."""
    (tmp_path / "v1.51.yaml").write_text(SPEC_TEXT)
    conformity = Conformity(tmp_path, {"docker-28.5": "1.51"})
    upgrade = answer("GET", "/containers/a/attach/ws", 101, headers={"Upgrade": "websocket"}, streamed=True)
    assert conformity.add("t", "call", "docker-28.5", upgrade) is True
    assert upgrade._content is False, "the stream was read"
    assert [(f["kind"], f["path"]) for f in conformity.take("t", "call")] == [("header", "API-Version")]
    other_stream = answer("GET", "/containers/a/attach/ws", 404, headers=GOOD_HEADERS, streamed=True)
    assert conformity.add("t", "call", "docker-28.5", other_stream) is True
    assert other_stream._content is False and not getattr(other_stream, CHECKED, False), "the test reads the body"
    assert conformity.take("t", "call") == []


FRAMES = b"\x01\x00\x00\x00\x00\x00\x00\x03out" + b"\x02\x00\x00\x00\x00\x00\x00\x04err\n"
RAW, MULTIPLEXED = "application/vnd.docker.raw-stream", "application/vnd.docker.multiplexed-stream"


@pytest.mark.parametrize(
    ("content_type", "body", "streamed", "found"),
    [
        (MULTIPLEXED, FRAMES, False, []),
        (RAW, b"hello from a tty\r\n", False, []),
        (RAW, b"", False, []),
        ("", b"", False, []),  # exec start detached: no stream, no type
        ("text/plain; charset=us-ascii", b"", False, []),  # or a type of an empty body: no stream either
        (MULTIPLEXED, b"", True, []),  # the test reads it
        (RAW, FRAMES, False, [f"{RAW} of framed output"]),
        (MULTIPLEXED, b"hello from a tty\r\n", False, [f"{MULTIPLEXED} of unframed output"]),
        ("text/plain; charset=utf-8", FRAMES, False, ["text/plain; charset=utf-8"]),
        ("", b"", True, ["absent"]),  # a stream of unknown length with no type
        ("", FRAMES, False, ["absent"]),
    ],
)
def test_a_docker_stream_says_raw_or_multiplexed_as_its_body_is(content_type, body, streamed, found):
    """From API 1.42 a non-TTY stream's frames are a multiplexed-stream; a TTY's output is a raw-stream."""
    headers = {"API-Version": "1.51", **({"Content-Type": content_type} if content_type else {})}
    logs = answer("GET", "/v1.51/containers/a/logs?stdout=1", 200, body, headers, streamed=streamed)
    findings = answer_findings(SPEC, "GET /containers/{id}/logs", "1.51", logs, read=not streamed)
    assert [(f["kind"], f["actual"]) for f in findings] == [("content-type", actual) for actual in found]


def test_a_stream_may_go_untyped_where_the_spec_says_so():
    """The logs' 200 says it "does not set Content-Type" (moby sets one; Podman does not): either is documented."""
    logs = answer("GET", "/v1.51/containers/a/logs", 206, FRAMES, {"API-Version": "1.51"})
    assert answer_findings(SPEC, "GET /containers/{id}/logs", "1.51", logs) == []


def test_before_api_1_42_every_docker_stream_is_a_raw_stream():
    """Below 1.42 the spec lists raw-stream only: frames under it are documented, a multiplexed-stream is not."""
    older = __import__("copy").deepcopy(SPEC)
    older["paths"]["/containers/{id}/logs"]["get"]["produces"] = [RAW]
    framed = answer("GET", "/v1.41/containers/a/logs", 200, FRAMES, {"API-Version": "1.41", "Content-Type": RAW})
    assert answer_findings(older, "GET /containers/{id}/logs", "1.41", framed) == []
    typed = answer("GET", "/v1.41/containers/a/logs", 200, FRAMES, {"API-Version": "1.41", "Content-Type": MULTIPLEXED})
    found = answer_findings(older, "GET /containers/{id}/logs", "1.41", typed)
    assert [f["expected"] for f in found] == [f"one of {RAW}"]


def test_a_400_at_a_version_the_engine_does_not_serve_is_its_version_check_not_the_operations(tmp_path):
    """Docker 29's floor: /v1.43 on a daemon of MinAPIVersion 1.44 is refused before any handler runs."""
    for version in ("1.43", "1.44", "1.52"):
        (tmp_path / f"v{version}.yaml").write_text(SPEC_TEXT)
    conformity = Conformity(tmp_path, {"floor": "1.51"})
    conformity.minimums["floor"] = "1.44"
    refused = {"message": "client version 1.43 is too old. Minimum supported API version is 1.44"}
    for version in ("1.43", "1.52"):
        assert conformity.add("t", "call", "floor", answer("GET", f"/v{version}/info", 400, refused)) is False
    assert conformity.add("t", "call", "floor", answer("GET", "/v1.44/info", 400, refused)) is True
    served = conformity.add("t", "call", "floor", answer("GET", "/v1.43/info", 200, {"Name": 1}))  # a 200 is judged
    assert served is True
    assert [(f["api"], f["status"], f["kind"]) for f in conformity.take("t", "call")] == [("1.43", 200, "body")]


BASELINE = """
schema:
- {operation: "DELETE /containers/{id}", kind: status, status: 409, reason: conflict undocumented, link: x}
- {operation: "* /*", kind: header, path: API-Version, reason: none sent, link: x}
"""


@pytest.fixture
def baselined(tmp_path, monkeypatch):
    (tmp_path / "docker-28.5.yaml").write_text(BASELINE)
    monkeypatch.setattr(baselines, "BASELINE_DIR", tmp_path)
    baselines.load_baseline.cache_clear()
    config = SimpleNamespace(stash=pytest.Stash())
    config.stash[baselines._NAMES] = {"docker-28.5": "docker-28.5"}
    yield config
    baselines.load_baseline.cache_clear()


def test_findings_are_judged_through_the_baseline_by_kind_operation_path_and_status(baselined):
    item = SimpleNamespace(user_properties=[])
    finding = {"kind": "status", "operation": "DELETE /containers/{id}", "api": "1.51", "path": ""}
    findings = [
        {**finding, "status": 409, "expected": "one of 204, 404", "actual": "409", "engine": "docker-28.5"},
        {**finding, "status": 500, "expected": "one of 204, 404", "actual": "500", "engine": "docker-28.5"},
        {**finding, "kind": "header", "path": "API-Version", "status": 204, "expected": "present", "actual": "absent"}
        | {"engine": "docker-28.5"},
    ]
    unknown = judge(baselined, item, findings)
    assert [f["status"] for f in unknown] == [500]
    recorded = [v for name, v in item.user_properties if name == "schema_mismatch"]
    assert [(m["kind"], m["status"], m["baseline"]) for m in recorded] == [
        ("status", 409, True),
        ("status", 500, False),
        ("header", 204, True),
    ]
    assert [v for name, v in item.user_properties if name == BASELINE_SEEN] == [
        ("docker-28.5", "schema", 0),
        ("docker-28.5", "schema", 1),
    ]


@pytest.mark.parametrize(
    "entry, problem",
    [
        ("{operation: GET /info, kind: status, reason: r, link: x}", "'status' is a required property"),
        ("{operation: GET /info, kind: header, reason: r, link: x}", "'path' is a required property"),
        ("{operation: GET /info, kind: cookie, path: x, reason: r, link: x}", "'cookie' is not one of"),
    ],
)
def test_schema_entries_of_the_new_kinds_are_validated(tmp_path, monkeypatch, entry, problem):
    (tmp_path / "docker-28.5.yaml").write_text(f"schema:\n- {entry}\n")
    monkeypatch.setattr(baselines, "BASELINE_DIR", tmp_path)
    baselines.load_baseline.cache_clear()
    with pytest.raises(pytest.UsageError, match=problem):
        baselines.load_baseline("docker-28.5")
    baselines.load_baseline.cache_clear()


def test_the_kinds_of_findings_are_the_kinds_a_baseline_names():
    schema = json.loads(baselines.SCHEMA_FILE.read_text())
    assert set(schema["$defs"]["schema"]["properties"]["kind"]["enum"]) == set(KINDS)


PHASES = """
import pytest
import requests

from fixtures.client.plugin import TRANSCRIPT


def conflict(config):
    response = requests.Response()
    response.status_code, response._content = 409, b'{"message": "in use"}'
    response.headers.update({"Content-Type": "application/json", "API-Version": "1.51"})
    response.request = requests.Request("DELETE", "http://docker.sock/v1.51/containers/a").prepare()
    config.stash[TRANSCRIPT].record(response, 0.001, label="docker-28.5 unix")


@pytest.fixture
def made_in_setup(pytestconfig):
    conflict(pytestconfig)


def test_call(engine_name, pytestconfig):
    conflict(pytestconfig)


def test_setup(engine_name, made_in_setup):
    pass


@pytest.mark.xfail(strict=True, reason="baseline: fails otherwise")
def test_expected_failure_that_passes(engine_name, pytestconfig):
    conflict(pytestconfig)
"""


def test_an_unknown_finding_fails_the_call_errs_the_setup_and_leaves_a_strict_xfail_its_own(
    pytester, monkeypatch, tmp_path
):
    monkeypatch.setattr(baselines, "BASELINE_DIR", tmp_path)  # no baseline: every finding unknown
    baselines.load_baseline.cache_clear()
    specs = pytester.mkdir("specs")
    (specs / "v1.51.yaml").write_text(SPEC_TEXT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_phases=PHASES)
    result = pytester.runpytest(*SUITE_PLUGINS, "-p", "fixtures.scenario.conformity", "--spec-dir", str(specs), "-rA")
    result.assert_outcomes(failed=2, errors=1)  # the call failed, the set-up erred, the strict xfail XPASSed
    result.stdout.fnmatch_lines(["*ERROR at setup of test_setup*", "*test_call*", "*[XPASS(strict)]*"])
    assert "DELETE /containers/{id} 409 (API 1.51) status: expected one of 204, 404, got 409" in result.stdout.str()


def test_the_baseline_command_drafts_entries_of_the_new_kinds():
    from reports import __main__ as cli
    from tests.test_reports import _results, _test

    status = {"operation": "GET /tasks", "status": 404, "api": "1.51", "path": "", "kind": "status"}
    header = {**status, "operation": "POST /containers/{id}/attach", "status": 200, "kind": "header"}
    found = [
        {**status, "expected": "one of 200, 500", "actual": "404", "baseline": False},
        {**header, "path": "API-Version", "expected": "present", "actual": "absent", "baseline": False},
    ]
    data = _results("docker-28.5", [_test("docker-28.5", "test_a", "Pass", mismatches=found)])
    entries = cli._new_baseline_entries(data)["docker-28.5"]["schema"]
    assert [{k: e[k] for k in e if k not in ("reason", "link")} for e in entries] == [
        {"operation": "GET /tasks", "kind": "status", "status": 404},
        {"operation": "POST /containers/{id}/attach", "kind": "header", "path": "API-Version"},
    ]
