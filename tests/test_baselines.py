"""Baseline matching: schema paths and fuzz operations as globs, and tests run as strict expected failures."""

from types import SimpleNamespace

import pytest

import fixtures.baselines as baselines
from reports.contract import BASELINE_SEEN
from tests.test_report_plugin import suite  # noqa: F401  (the pytester fixture of the suite's plugins)

BASELINE = """
tests:
- {test: test_module.py::test_plugins, reason: 500 without timeout, link: x, symptom: assert 500 == 200}
- {test: test_module.py::test_plain_http, reason: hangs up, link: y, transports: [tls], symptom: hangs up}
schema:
- {operation: GET /containers/json, path: "/*/NetworkSettings/Networks/*/Aliases", reason: null slice, link: x}
- {operation: GET /containers/json, path: /*/Mounts, reason: null slice, link: x}
fuzz:
- {operation: "POST /containers/*", check: Server error, class: engine, reason: 500 for bad input, link: x}
- {operation: GET /info, check: Response violates schema, class: spec, reason: spec lags, link: x}
"""


@pytest.fixture
def baseline_engine(tmp_path, monkeypatch):
    (tmp_path / "docker-28.5.yaml").write_text(BASELINE)
    monkeypatch.setattr(baselines, "BASELINE_DIR", tmp_path)
    baselines.load_baseline.cache_clear()
    yield "docker-28.5"  # not named engine: the suite's plugins take a fixture of that name for an Engine
    baselines.load_baseline.cache_clear()


@pytest.mark.parametrize(
    "operation, path, index",
    [
        ("GET /containers/json", "/0/NetworkSettings/Networks/bridge/Aliases", 0),
        ("GET /containers/json", "/12/NetworkSettings/Networks/my-net/Aliases", 0),
        ("GET /containers/json", "/3/Mounts", 1),
        ("GET /containers/json", "/0/NetworkSettings/Networks/bridge/Links", None),
        ("GET /containers/{id}/json", "/0/Mounts", None),  # another operation: the path alone does not match
    ],
)
def test_schema_entries_match_by_operation_and_path_glob(baseline_engine, operation, path, index):
    node = SimpleNamespace(user_properties=[])
    engine = baseline_engine
    known = baselines.known_schema_deviation(engine, operation, path, node)
    assert known == (baselines.load_baseline(engine)["schema"][index] if index is not None else None)
    assert node.user_properties == ([(BASELINE_SEEN, (engine, "schema", index))] if index is not None else [])


@pytest.mark.parametrize(
    "operation, check, index",
    [
        ("POST /containers/create", "Server error", 0),
        ("POST /containers/{id}/start", "Server error", 0),
        ("POST /containers/create", "Undocumented HTTP status code", None),  # the check must be the same
        ("GET /containers/json", "Server error", None),
        ("GET /info", "Response violates schema", 1),
    ],
)
def test_fuzz_entries_match_by_operation_glob_and_check(baseline_engine, operation, check, index):
    known = baselines.known_fuzz_finding(baseline_engine, operation, check)
    assert known == (baselines.load_baseline(baseline_engine)["fuzz"][index] if index is not None else None)


def test_an_engine_without_a_baseline_knows_nothing(baseline_engine):
    assert baselines.known_schema_deviation("podman-9.9", "GET /containers/json", "/0/Mounts") is None


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "tests: [{test: a, reason: b}]",
            r"docker-28.5.yaml: tests/0 \(a\): 'link' is a required property \(and 2 more\)",
        ),
        (
            "tests: [{test: test_a.py::test_b, reason: b, link: c, symptom: d, transports: [ssh]}]",
            "transports/0: 'ssh' is not one of",
        ),
        (
            "fuzz: [{operation: a, check: b, class: nobody, reason: c, link: d}]",
            "fuzz/0 \\(a\\) class: 'nobody' is not one of",
        ),
        ("schema: [", "not valid YAML"),
        (
            "fuzz: [{operation: POST /secrets/create, check: Response violates schema, class: spec, reason: r, link: l}]",  # noqa: E501
            "erratum swarm-create-answers-ID corrects that in the spec",
        ),
        (
            "fuzz: [{operation: 'GET /plugins*', check: Response violates schema, class: spec, reason: r, link: l}]",
            "erratum plugin-interface-type-is-a-string",
        ),
    ],
)
def test_a_bad_baseline_file_stops_the_run_with_what_to_fix(baseline_engine, entry, message):
    (baselines.BASELINE_DIR / "docker-28.5.yaml").write_text(entry)
    with pytest.raises(pytest.UsageError, match=message):
        baselines.load_baseline(baseline_engine)


MODULE = """
def test_plugins(engine_name, transport):
    assert 500 == 200

def test_plain_http(engine_name, transport):
    assert transport != "tls", "the TLS terminator hangs up"
"""


def test_baseline_tests_are_strict_expected_failures_on_their_transports_only(suite, pytester):  # noqa: F811  (suite is the imported fixture)
    (suite.baselines / "docker-28.5.yaml").write_text(BASELINE)
    pytester.makepyfile(test_module=MODULE)
    result, _ = suite("--transport", "unix", "--transport", "tls", "-rxX")
    statuses = {r["id"].split("::")[1]: (r["status"], r["known"]) for r in _results(pytester)["tests"]}
    assert statuses == {
        "test_plugins[docker-28.5-unix]": ("Fail", True),
        "test_plugins[docker-28.5-tls]": ("Fail", True),
        "test_plain_http[docker-28.5-unix]": ("Pass", False),  # not listed for unix: a plain test there
        "test_plain_http[docker-28.5-tls]": ("Fail", True),
    }
    result.stdout.fnmatch_lines(["*XFAIL*test_plugins*baseline: 500 without timeout (x)*"])


def test_a_baseline_wait_caps_the_known_deviation_waits_only(suite, pytester):  # noqa: F811  (suite is the imported fixture)
    """An entry's `wait` bounds the waits of its test (what never comes is not waited out), no other test's."""
    (suite.baselines / "docker-28.5.yaml").write_text(
        "tests:\n- {test: test_module.py::test_plugins, reason: never comes, link: x, symptom: not within, wait: 0.2}\n"
    )
    pytester.makepyfile(
        test_module="""
import time
from fixtures.wait import WaitTimeout, until

def test_plugins(engine_name, transport):
    until(lambda: False, 30, "what never comes")

def test_plain_http(engine_name, transport):
    started = time.monotonic()
    try:
        until(lambda: False, 0.5, "a plain wait")
    except WaitTimeout:
        assert time.monotonic() - started >= 0.5
"""
    )
    result, _ = suite("--transport", "unix", "-rxX")
    result.assert_outcomes(passed=1, xfailed=1)
    durations = {r["id"].split("::")[1]: r["duration"] for r in _results(pytester)["tests"]}
    assert durations["test_plugins[docker-28.5-unix]"] < 5, "the known deviation waited 0.2 s, not 30"


def test_an_entry_of_a_table_row_knows_that_row_only(suite, pytester):  # noqa: F811  (suite is the imported fixture)
    """test_name[CASE] names one row of a table-driven test (its `case`); the other rows are plain tests."""
    (suite.baselines / "docker-28.5.yaml").write_text(
        "tests:\n- {test: 'test_module.py::test_row[POST /auth: empty body]',"
        " reason: answers 500, link: x, symptom: got 500}\n"
    )
    pytester.makepyfile(
        test_module="""
import pytest

@pytest.mark.parametrize("case", ["POST /auth: empty body", "POST /auth: trailing garbage"])
def test_row(case, engine_name, transport):
    assert case.endswith("garbage"), "got 500"
"""
    )
    suite("--transport", "unix")
    statuses = {r["case"]: (r["status"], r["known"]) for r in _results(pytester)["tests"]}
    assert statuses == {"POST /auth: empty body": ("Fail", True), "POST /auth: trailing garbage": ("Pass", False)}


THREE_TESTS = """
def test_same(engine_name, transport):
    assert False, "got 500: read cgroup: 42"

def test_changed(engine_name, transport):
    assert False, "got 409: conflict"

def test_fixed(engine_name, transport):
    pass
"""


def _judged_with(suite, pytester, key: str) -> dict:  # noqa: F811  (suite is the imported fixture)
    """THREE_TESTS judged with an entry each of KEY: 'got 500' (a symptom or an intermittent failure's)."""
    (suite.baselines / "docker-28.5.yaml").write_text(
        "tests:\n"
        + "".join(
            f"- {{test: test_module.py::test_{name}, reason: answers 500, link: x, {key}: 'got 500'}}\n"
            for name in ("same", "changed", "fixed")
        )
    )
    pytester.makepyfile(test_module=THREE_TESTS)
    suite("--transport", "unix")
    return {r["id"].split("::")[1].split("[")[0]: r for r in _results(pytester)["tests"]}


def test_an_intermittent_entry_knows_only_the_failure_it_names(suite, pytester):  # noqa: F811  (suite is the imported fixture)
    """A race the engine loses now and then: its failure is known, any other failure fails, a pass passes."""
    results = _judged_with(suite, pytester, "intermittent")
    assert {name: (r["status"], r["known"]) for name, r in results.items()} == {
        "test_same": ("Fail", True),
        "test_changed": ("Fail", False),
        "test_fixed": ("Pass", False),
    }


def test_a_known_failure_is_known_only_with_its_symptom(suite, pytester):  # noqa: F811  (suite is the imported fixture)
    """A known 500 that becomes a 409 to the same request is a new failure, not a known one; a fix still shows."""
    results = _judged_with(suite, pytester, "symptom")
    assert {name: (r["status"], r["known"]) for name, r in results.items()} == {
        "test_same": ("Fail", True),
        "test_changed": ("Fail", False),
        "test_fixed": ("Pass", True),  # XPASS(strict): the fix shows up, as for any entry
    }
    assert "got 409" in results["test_changed"]["message"]
    said = results["test_same"]["failure"]  # what the known failure said this time
    assert said == "AssertionError: got 500: read cgroup: 42\nassert False"


def test_an_entry_without_a_symptom_is_refused_in_one_line(baseline_engine):
    (baselines.BASELINE_DIR / "docker-28.5.yaml").write_text("tests: [{test: test_a.py::test_b, reason: b, link: c}]")
    with pytest.raises(pytest.UsageError, match="'symptom' is a required property") as refused:
        baselines.load_baseline(baseline_engine)
    assert "\n" not in str(refused.value)


def test_an_intermittent_entry_takes_no_wait(baseline_engine):
    (baselines.BASELINE_DIR / "docker-28.5.yaml").write_text(
        "tests: [{test: a, reason: b, link: c, intermittent: x, wait: 2}]"
    )
    with pytest.raises(pytest.UsageError, match="intermittent and wait do not go together"):
        baselines.load_baseline(baseline_engine)


def test_an_intermittent_entry_must_be_a_regex(baseline_engine):
    (baselines.BASELINE_DIR / "docker-28.5.yaml").write_text(
        "tests: [{test: a, reason: b, link: c, intermittent: '('}]"
    )
    with pytest.raises(pytest.UsageError, match="intermittent: '\\(' is not a 'regex'"):
        baselines.load_baseline(baseline_engine)


def _results(pytester):
    import json

    return json.loads((pytester.path / "reports" / "output" / "results.json").read_text())


@pytest.mark.parametrize(
    "entry, version, conflicts",
    [
        ({"operation": "POST /configs/create", "check": "Response violates schema", "class": "spec"}, "1.51", 1),
        ({"operation": "*", "check": "Response violates schema", "class": "spec"}, "1.41", 1),  # a glob over it
        ({"operation": "POST /configs/create", "check": "Response violates schema", "class": "engine"}, "1.51", 0),
        ({"operation": "POST /configs/create", "check": "Undocumented status code", "class": "spec"}, "1.51", 0),
        ({"operation": "GET /plugins", "check": "Response violates schema", "class": "spec"}, "1.24", 0),  # none then
        ({"operation": "GET /plugins/privileges", "check": "Response violates schema", "class": "spec"}, "1.51", 0),
        ({"operation": "DELETE /plugins/{name}", "check": "Response violates schema", "class": "spec"}, None, 1),
    ],
)
def test_spec_entries_that_an_erratum_corrects_are_conflicts(entry, version, conflicts):
    assert len(baselines.errata_conflicts([entry], version)) == conflicts


def test_the_baselines_have_no_spec_entry_an_erratum_corrects():
    baselines.load_baseline.cache_clear()
    for name in baselines.baseline_names():
        baselines.load_baseline(name)  # raises a UsageError naming the entry and the erratum


def test_a_baseline_that_extends_another_has_its_entries_first_then_its_own(baseline_engine, tmp_path):
    (tmp_path / "docker-28.5-floor-1.44.yaml").write_text(
        "extends: docker-28.5\ntests:\n- {test: test_versions.py::test_x, reason: floor, link: z, symptom: too old}\n"
    )
    merged, parent = baselines.load_baseline("docker-28.5-floor-1.44"), baselines.load_baseline("docker-28.5")
    assert merged["tests"] == [
        *parent["tests"],
        {"test": "test_versions.py::test_x", "reason": "floor", "link": "z", "symptom": "too old"},
    ]
    assert merged["schema"] == parent["schema"] and merged["fuzz"] == parent["fuzz"]
    assert "extends" not in merged


@pytest.mark.parametrize(
    "files, message",
    [
        ({"a": "extends: nowhere\n"}, r"a.yaml: extends 'nowhere': name a baseline"),
        ({"a": "extends: b\n", "b": "extends: a\n"}, r"extends 'a' makes a cycle"),
        ({"a": "extends: a\n"}, r"extends 'a' makes a cycle"),
        ({"a": "extends: b\n", "b": "tests:\n- {test: t, reason: r}\n"}, r"b.yaml: tests/0 \(t\): 'link' is a"),
        ({"a": "extends: [b]\n"}, r"a.yaml: extends: \['b'\] is not of type 'string'"),
    ],
)
def test_a_bad_extends_stops_the_run_in_one_line(tmp_path, monkeypatch, files, message):
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    monkeypatch.setattr(baselines, "BASELINE_DIR", tmp_path)
    baselines.load_baseline.cache_clear()
    try:
        with pytest.raises(pytest.UsageError, match=message):
            baselines.load_baseline("a")
    finally:
        baselines.load_baseline.cache_clear()


def test_every_catalog_baseline_loads_with_what_it_extends():
    baselines.load_baseline.cache_clear()
    floor, plain = baselines.load_baseline("docker-28.5-floor-1.44"), baselines.load_baseline("docker-28.5")
    for section in ("tests", "schema", "fuzz"):
        assert floor[section][: len(plain[section])] == plain[section]
