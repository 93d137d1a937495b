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
        (["--engine", "external:ssh://h"], "external address 'ssh://h': write unix:///PATH, tcp://HOST:PORT or"),
        (["--engine", "external:tls://h:2376"], "a tls:// address needs --tls-dir"),
        (["--registry", "http://h:5000/v2/"], "--registry 'http://h:5000/v2/': give a registry as HOST:PORT"),
        (["--auth-registry", "h:5000"], "--auth-registry h:5000: set $CONFORMANCE_REGISTRY_AUTH"),
    ],
)
def test_bad_options_give_one_line_and_a_nonzero_exit(pytester, args, message):
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest_inprocess(*_suite_plugins(), "-p", "no:cacheprovider", "--collect-only", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert len([line for line in result.stderr.lines if line.strip()]) <= 2


def test_one_external_daemon_on_each_transport_is_one_engine():
    from fixtures.options import one_external_per_daemon

    merged = one_external_per_daemon(
        ("external:unix:///s", "docker-28.5", "external:tcp://h:2375", "external:unix:///other", "external")
    )
    assert merged == ("external:unix:///s,tcp://h:2375", "docker-28.5", "external:unix:///other", "external")


def test_auth_registry_credentials_come_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from fixtures.options import Credentials, _auth_registry

    monkeypatch.delenv("CONFORMANCE_REGISTRY_AUTH", raising=False)
    monkeypatch.setenv("CONFORMANCE_REGISTRY_USERNAME", "ci")
    monkeypatch.setenv("CONFORMANCE_REGISTRY_PASSWORD", "pw")
    assert _auth_registry("http://reg:5000") == Credentials("reg:5000", "ci", "pw")
    (tmp_path / "auth").write_text("user:pass:word\n")
    monkeypatch.setenv("CONFORMANCE_REGISTRY_AUTH", str(tmp_path / "auth"))
    assert _auth_registry("reg:5000") == Credentials("reg:5000", "user", "pass:word")
    (tmp_path / "auth").write_text("no colon\n")
    with pytest.raises(pytest.UsageError, match="write one line, username:password"):
        _auth_registry("reg:5000")
