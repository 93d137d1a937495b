"""The results the suite's plugins write, from small pytest runs in-process (pytester): no engine."""
import json

import pytest

import fixtures.baselines
import reports.plugin

pytest_plugins = ["pytester"]

SUITE_PLUGINS = ("-p", "fixtures.plugin", "-p", "fixtures.baselines", "-p", "reports.plugin", "-p", "no:cacheprovider")


@pytest.fixture
def suite(pytester, monkeypatch, tmp_path):
    """Runs a pytest session with the suite's plugins and gives its results.json; module state restored after."""
    baselines = tmp_path / "baselines"
    baselines.mkdir()
    monkeypatch.setattr(fixtures.baselines, "BASELINE_DIR", baselines)
    fixtures.baselines.load_baseline.cache_clear()

    def run(*args):
        outer = list(reports.plugin._CONFIG)  # the inner session takes it over: the outer one's comes back after
        try:
            result = pytester.runpytest(*SUITE_PLUGINS, *args)
        finally:
            reports.plugin._CONFIG[:] = outer
        path = pytester.path / "reports" / "output" / "results.json"
        data = json.loads(path.read_text()) if path.is_file() else {}
        return result, {t["flow"]: (t["status"], t["known"]) for t in data.get("tests", [])}

    run.baselines = baselines
    yield run
    fixtures.baselines.load_baseline.cache_clear()


STATUSES = '''
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
'''


def test_statuses_of_tests_in_results_json(suite, pytester):
    pytester.makepyfile(test_statuses=STATUSES)
    _, statuses = suite("--transport", "unix")
    assert statuses == {
        "test_passes": ("Pass", False),
        "test_fails": ("Fail", False),
        "test_harness_assertion": ("Error", False),
        "test_harness_assertion_in_setup": ("Error", False),
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
