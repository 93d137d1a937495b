"""Bad input to the harness stops it with one line that says what to do."""

import subprocess
import sys

import pytest

from fixtures.engines import host


def test_unanswering_docker_host_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    monkeypatch.setattr(host, "missing_tools", lambda: [])
    with pytest.raises(host.HostEngineError, match="does not answer /_ping: start that engine or unset DOCKER_HOST"):
        host.up()


def test_unknown_host_command_exits_2(capsys):
    assert host.main(["bogus"]) == 2
    assert "use `up` or `status`" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--engine", "docker-99"], "unknown engine 'docker-99': choose from"),
        (["--api-version", "latest"], "--api-version 'latest': use engine, none or a version such as 1.41"),
        (["--tls-dir", "/nonexistent"], "--tls-dir /nonexistent: /nonexistent/ca.pem is missing"),
        (["--transport", "ssh"], "--transport 'ssh': choose from unix, tcp, tls"),
        (["--engine-scope", "test"], "--engine-scope 'test': choose from session, module"),
        (["--fuzz-examples", "many"], "--fuzz-examples 'many': give a positive number"),
        (["--fuzz-seconds", "0"], "--fuzz-seconds '0': give a positive number"),
    ],
)
def test_bad_options_give_one_line_and_a_nonzero_exit(args, message):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/test_smoke.py", "--collect-only", "-q", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) <= 2


def test_an_unknown_baseline_gives_one_line_and_a_nonzero_exit():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "suites/test_smoke.py", "--collect-only", "-q", "--baseline", "docker-99"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "--baseline 'docker-99': choose from docker-20.10, docker-26.1, docker-28.5" in done.stderr
