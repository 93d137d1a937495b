"""The harness's unit tests: pytester runs the suite's pytest plugins in-process."""

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _no_engine(monkeypatch):
    """No engine needed, and none reached: a plugin that would start, install or build on the host fails here."""
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/engine-conformance-unit-tests.sock")
