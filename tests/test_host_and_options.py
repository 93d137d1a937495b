"""Bad input to the harness stops it with one line that says what to do."""

import pytest

from fixtures.engines import host, images
from suites import conftest


def test_unanswering_docker_host_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    monkeypatch.setattr(host, "missing_tools", lambda: [])
    with pytest.raises(host.HostEngineError, match="does not answer /_ping: start that engine or unset DOCKER_HOST"):
        host.up()


def test_unknown_host_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exit:
        host.main(["bogus"])
    assert exit.value.code == 2
    assert "invalid choice: 'bogus' (choose from 'up', 'status')" in capsys.readouterr().err


def test_unknown_image_recipe_exits_2(capsys):
    with pytest.raises(SystemExit) as exit:
        images.main(["build", "docker-99"])
    assert exit.value.code == 2
    assert "unknown recipe 'docker-99': choose from registry, alpine" in capsys.readouterr().err


def _suite_plugins() -> list[str]:
    """-p for every plugin suites/conftest.py registers: the options as a run of the suites parses them."""
    return [arg for plugin in conftest.pytest_plugins for arg in ("-p", plugin)]


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
        (["--baseline", "docker-99"], "--baseline 'docker-99': choose from docker-20.10, docker-26.1, docker-28.5"),
    ],
)
def test_bad_options_give_one_line_and_a_nonzero_exit(pytester, args, message):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_inprocess(*_suite_plugins(), "-p", "no:cacheprovider", "--collect-only", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert len([line for line in result.stderr.lines if line.strip()]) <= 2
