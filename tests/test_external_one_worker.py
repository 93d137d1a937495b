"""Under -n, the tests of a daemon that is not the run's all run on one xdist worker: its swarm and its object lists
are not shared between processes (the workers group the tests as the controller schedules them)."""

from pathlib import Path

TESTS = """
import os
import pytest

@pytest.mark.parametrize("case", range(8))
def test_on_the_daemon(engine_name, case, tmp_path_factory):
    (tmp_path_factory.getbasetemp().parent.parent / f"{case}.worker").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_the_tests_of_an_external_daemon_run_on_one_worker(pytester, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))  # the harness, for the subprocess
    pytester.makepyfile(test_daemon=TESTS)
    socket = tmp_path / "docker.sock"
    result = pytester.runpytest_subprocess(
        "-p",
        "fixtures.options",
        "-p",
        "fixtures.engines.plugin",
        "-n",
        "2",
        "--engine",
        f"external:unix://{socket}",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=8)
    workers = {path.read_text() for path in pytester.path.parent.rglob("*.worker")}
    assert len(workers) == 1, workers
