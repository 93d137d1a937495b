"""An engine that dies mid-run is named once: the test it died in fails saying why, the tests after it are Errors."""

CONFTEST = """
import pytest, requests

class FakeEngine:
    name = "docker-28.5"
    alive = True
    def identity(self):
        return {}
    def gone(self):
        return None if self.alive else "its container exited with 137; last log lines: killed"

@pytest.fixture(scope="session")
def engine_pool():
    engine = FakeEngine()
    return type("Pool", (), {"get": lambda self, name: engine, "engines": {}})()
"""

TESTS = """
import requests

def test_before(engine):
    pass

def test_dies(engine):
    engine.alive = False
    raise requests.ConnectionError("Connection refused")

def test_after(engine):
    pass
"""


def test_the_test_an_engine_died_in_fails_naming_why_and_the_tests_after_are_errors(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_gone=TESTS)
    result = pytester.runpytest_inprocess(
        "-p",
        "fixtures.options",
        "-p",
        "fixtures.baselines",
        "-p",
        "fixtures.engines.plugin",
        "-p",
        "no:cacheprovider",
        "--engine",
        "docker-28.5",
        "-rA",
    )
    result.assert_outcomes(passed=1, failed=1, errors=1)
    output = result.stdout.str()
    assert "docker-28.5 stopped answering during this test: its container exited with 137" in output
    assert "harness: engine gone since test_gone.py::test_dies[docker-28.5]" in output
