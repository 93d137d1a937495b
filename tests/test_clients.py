"""The real clients' harness: their table, the step runner, the recording relay, baseline entries per client."""

from __future__ import annotations

import http.server
import json
import socket
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

import reports.collect
from fixtures import wait
from fixtures.baselines import _client_matches
from fixtures.clients import install, plugin
from fixtures.clients.relay import Relay
from fixtures.clients.steps import Step, StepFailed, run_commands, run_script
from tests.test_client import _KeepAliveHandler
from tests.test_report_plugin import SUITE_PLUGINS


def test_a_name_selects_every_version_and_a_key_one():
    assert [s.key for s in install.client_spec("docker-cli")] == [
        "docker-cli-28.5.2",
        "docker-cli-26.1.5",
        "docker-cli-20.10.24",
    ]
    assert [s.key for s in install.client_spec("docker-py-5.0.3")] == ["docker-py-5.0.3"]


def test_an_unknown_client_is_one_line_naming_the_known_ones():
    with pytest.raises(install.UnknownClient) as error:
        install.client_spec("podman-remote")
    assert "\n" not in str(error.value) and "docker-cli-28.5.2" in str(error.value)


def test_every_client_comes_from_a_registry_and_plugins_name_their_cli():
    for spec in install.CLIENTS.values():
        assert spec.source in install.INSTALLERS
        assert spec.home.parent == install.CLIENTS_DIR and spec.home.name == spec.key
        assert not spec.cli or spec.cli in install.CLIENTS


def test_the_private_apt_keeps_off_the_hosts_state(tmp_path):
    env = install._apt_config(tmp_path, "sid")
    config = Path(env["APT_CONFIG"]).read_text()
    for setting in ("Dir::Etc", "Dir::State", "Dir::State::status", "Dir::Cache"):
        assert f'{setting} "{tmp_path}' in config
    assert f"signed-by={install.KEYRING}" in (tmp_path / "etc/sources.list").read_text()


def test_a_client_that_cannot_be_had_names_its_package(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "CLIENTS_DIR", tmp_path)
    spec = install.ClientSpec("gone", "1.0", "docker-py", "pypi", ("this-package-does-not-exist-anywhere==0",))
    monkeypatch.setattr(install.ClientSpec, "home", property(lambda self: tmp_path / self.key))
    monkeypatch.setitem(
        install.INSTALLERS,
        "pypi",
        lambda s, staging: install._run(s, [sys.executable, "-c", "raise SystemExit('no such package')"]),
    )
    with pytest.raises(install.ClientUnavailable, match="this-package-does-not-exist-anywhere==0 from pypi"):
        install.ensure(spec)
    assert not list(tmp_path.iterdir())  # the staging directory went with the failure


def test_the_steps_passed_are_recorded_with_their_seconds(tmp_path):
    outcome = run_commands([Step("first", ["true"]), Step("second", ["true"])], {"PATH": "/usr/bin:/bin"}, tmp_path)
    assert [name for name, _ in outcome.passed] == ["first", "second"]
    assert all(0 <= seconds < 5 for _, seconds in outcome.passed)


def test_a_step_the_engine_cannot_serve_is_skipped_with_its_reason_and_not_run(tmp_path):
    steps = [Step("login", ["false"], skip="no registry asks for credentials"), Step("after", ["true"])]
    outcome = run_commands(steps, {"PATH": "/usr/bin:/bin"}, tmp_path)
    assert outcome.skipped == {"login": "no registry asks for credentials"}
    assert [name for name, _ in outcome.passed] == ["after"]


def test_a_failing_step_is_named_with_its_command_and_output(tmp_path):
    steps = [Step("first", ["true"]), Step("second", ["sh", "-c", "echo broken >&2; exit 3"])]
    with pytest.raises(StepFailed) as failure:
        run_commands(steps, {"PATH": "/usr/bin:/bin"}, tmp_path)
    assert failure.value.step == "second" and "exit 3" in str(failure.value) and "broken" in str(failure.value)


def test_a_step_that_hangs_is_stopped_and_named(tmp_path):
    with pytest.raises(StepFailed, match="(?s)step 'sleeps'.*no end within 1 s"):
        run_commands([Step("sleeps", ["sleep", "30"], timeout=1)], {"PATH": "/usr/bin:/bin"}, tmp_path)


def test_a_settling_step_is_run_again_until_its_output_comes_and_named_when_it_never_does(tmp_path):
    """A container's first line comes a moment after `run -d`: `docker logs` is asked again, within a deadline."""
    marker = tmp_path / "count"
    script = f"n=$(cat {marker} 2>/dev/null || echo 0); echo $((n+1)) > {marker}; [ $n -ge 2 ] && echo started; true"
    outcome = run_commands([Step("logs", ["sh", "-c", script], expect="started", settle=10)], {}, tmp_path)
    assert [name for name, _ in outcome.passed] == ["logs"] and marker.read_text().strip() == "3"
    with pytest.raises(StepFailed, match="(?s)step 'logs'.*lacks 'started'"):
        run_commands([Step("logs", ["true"], expect="started", settle=0.5)], {}, tmp_path)


def test_a_known_failures_wait_caps_each_steps_timeout(tmp_path, monkeypatch):
    """A baseline entry's `wait` (a healthcheck that never comes) need not be waited out in full."""
    monkeypatch.setattr(wait, "CAP", [1.0])
    with pytest.raises(StepFailed, match="(?s)step 'sleeps'.*no end within 1 s"):
        run_commands([Step("sleeps", ["sleep", "30"], timeout=120)], {"PATH": "/usr/bin:/bin"}, tmp_path)


def test_a_script_step_that_hangs_is_named(tmp_path):
    script = tmp_path / "hangs.py"
    script.write_text(
        "import json, time\n"
        "print(json.dumps({'step': 'one', 'start': True}), flush=True)\n"
        "print(json.dumps({'step': 'one', 'ok': True}), flush=True)\n"
        "print(json.dumps({'step': 'two', 'start': True}), flush=True)\n"
        "time.sleep(30)\n"
    )
    with pytest.raises(StepFailed, match="(?s)step 'two'.*no end within 1 s"):
        run_script([sys.executable, str(script)], {}, tmp_path, step_timeout=1)


def test_a_script_step_error_carries_the_call():
    event = {"step": "images.push", "call": "client.images.push(x)", "error": "APIError: 500"}
    script = f"import json; print(json.dumps({event!r}))"
    with pytest.raises(StepFailed, match=r"step 'images.push'.*client.images.push\(x\)\nAPIError: 500"):
        run_script([sys.executable, "-c", script], {}, Path("."))


class _Answer(_KeepAliveHandler):
    """Answers its path as the body, with no final newline: the next answer follows at once."""

    def send_response(self, code, message=None):
        super().send_response(404 if "missing" in self.path else code, message)


def test_the_relay_notes_each_request_with_its_status_and_the_version_sent(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    relay = Relay(f"tcp://127.0.0.1:{server.server_address[1]}", tmp_path)
    try:
        host, port = relay.address[6:].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            for path in ("/_ping", "/v1.44/containers/json", "/v1.44/missing"):  # one connection, kept alive
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                answer = b""
                while path.encode() not in answer:  # headers and body may come in two reads
                    answer += sock.recv(65536)
        assert [e.line() for e in relay.requests()] == [
            "GET /_ping 200",
            "GET /v1.44/containers/json 200",
            "GET /v1.44/missing 404",
        ]
        assert relay.api_version_sent() == "1.44"
    finally:
        relay.close()
        server.shutdown()


def test_a_baseline_entry_names_a_client_or_all_its_versions():
    assert _client_matches(None, "docker-cli-28.5.2")
    assert _client_matches("docker-cli", "docker-cli-28.5.2")
    assert _client_matches("docker-cli-28.5.2", "docker-cli-28.5.2")
    assert not _client_matches("docker-cli-26.1.5", "docker-cli-28.5.2")
    assert not _client_matches("docker-cli", None)


CLIENT_TESTS = """
def test_installed(client):
    assert client.key
"""


def _run_clients(pytester, *args):
    pytester.makepyfile(test_installed=CLIENT_TESTS)
    outer = list(reports.collect._CONFIG)  # the inner session takes it over: the outer one's comes back after
    try:
        return pytester.runpytest(*SUITE_PLUGINS, "-p", "fixtures.clients.plugin", "--transport", "unix", *args)
    finally:
        reports.collect._CONFIG[:] = outer


def test_an_unknown_client_option_is_a_usage_error_of_one_line(pytester):
    result = _run_clients(pytester, "--client", "podman-remote")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.errlines if "podman-remote" in line]
    assert len(errors) == 1 and "docker-cli-28.5.2" in errors[0] and "aiodocker" in errors[0]


def test_a_client_that_cannot_be_installed_errors_naming_its_package_and_the_others_run(pytester, monkeypatch):
    def ensure(spec):
        if spec.name == "aiodocker":
            raise install.ClientUnavailable(f"{spec.what()}: `pip install ...` failed: No matching distribution")
        return pytester.path

    monkeypatch.setattr(install, "ensure", ensure)
    _run_clients(pytester, "--client", "aiodocker", "--client", "docker-py-7.1.0")
    tests = json.loads((pytester.path / "reports/output/results.json").read_text())["tests"]
    by_client = {t["client"]: (t["status"], t["message"]) for t in tests}
    assert by_client["docker-py"] == ("Pass", "")
    status, message = by_client["aiodocker"]
    assert status == "Error" and "\n" not in message and "aiodocker==0.27.0 from pypi" in message


def test_client_transport_deselects_the_clients_tests_over_other_transports_only():
    """The matrix runs the real clients over unix beside the scenarios over every transport."""

    def item(transport, client=None):
        params = {"transport": transport, **({"client_key": client} if client else {})}
        return SimpleNamespace(callspec=SimpleNamespace(params=params), name=f"{client}-{transport}")

    items = [item("tcp"), item("unix", "docker-cli-28.5.2"), item("tls", "docker-cli-28.5.2")]
    deselected = []
    config = SimpleNamespace(
        getoption=lambda name: ["unix"],
        hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)),
    )
    plugin.pytest_collection_modifyitems(config, items)
    assert [i.name for i in items] == ["None-tcp", "docker-cli-28.5.2-unix"]
    assert [i.name for i in deselected] == ["docker-cli-28.5.2-tls"]
