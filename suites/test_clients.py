"""Real clients, each doing what its users do, against the engine over each transport (docs: --client).

One test per client: its workflow of named steps (fixtures/clients/workflows.py and the scripts beside it); a
failure names the step, the client's command or call, and its output or exception, with the requests the
client sent (seen by the recording relay in front of the engine)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.clients.install import CLI_PLUGINS, CLIENTS, ClientSpec
from fixtures.clients.plugin import client_env, failure_requests
from fixtures.clients.relay import Relay
from fixtures.clients.steps import Outcome, StepFailed, run_commands, run_script
from fixtures.clients.workflows import HERE, Target, buildx_steps, cli_steps, compose_steps
from fixtures.scenario.plugin import skip_unsupported
from reports import contract

pytestmark = pytest.mark.clients

PLUGIN_STEPS = {"compose": compose_steps, "buildx": buildx_steps}  # CLI plugins: linked into the CLI's home
SCRIPTS = {  # workflow -> its script, run by the client's own interpreter
    "docker-py": "dockerpy_workflow.py",
    "aiodocker": "aiodocker_workflow.py",
    "testcontainers": "testcontainers_workflow.py",
    "dockerode": "dockerode_workflow.js",
}


def test_workflow(client: ClientSpec, engine, transport: str, relay: Relay, target: Target, request, api):
    if client.workflow == "buildx" and "session" in engine.spec.unsupported:
        skip_unsupported(engine, "session", api.post("/session").status_code)  # BuildKit's client needs it
    env = client_env(client, relay, transport, engine, target.workdir)
    try:
        outcome = _run(client, env, target)
    except StepFailed as failure:
        request.node.user_properties.append((contract.STEP, failure.step))
        raise StepFailed(
            failure.step, failure.command, f"{failure.detail}\nthe client's last requests:\n{failure_requests(relay)}"
        ) from None
    finally:  # on the call's own report, which decides the test's record
        sent = [
            (contract.API_VERSION_SENT, relay.api_version_sent()),
            (contract.CLIENT_REQUESTS, len(relay.requests())),
        ]
        request.node.user_properties += sent
    request.node.user_properties.append((contract.STEPS, outcome.passed))
    if outcome.skipped:
        request.node.user_properties.append((contract.SKIPPED_STEPS, outcome.skipped))
    assert outcome.passed, f"{client.key}: the workflow ran no step"


def _run(client: ClientSpec, env: dict, target: Target) -> Outcome:
    if client.workflow == "cli":
        return run_commands(cli_steps(target, _docker(client)), env, target.workdir)
    if client.workflow in PLUGIN_STEPS:
        plugin = f"docker-{client.workflow}"
        plugins = Path(env["HOME"]) / ".docker" / "cli-plugins"  # where the CLI looks first, in the fresh home
        plugins.mkdir(parents=True, exist_ok=True)
        (plugins / plugin).symlink_to(client.home / CLI_PLUGINS / plugin)
        steps = PLUGIN_STEPS[client.workflow](target, _docker(CLIENTS[client.cli]))
        return run_commands(steps, env, target.workdir)
    script = HERE / SCRIPTS[client.workflow]
    arguments = target.workdir / "target.json"  # a file, not an argument: the failure shows the command line
    arguments.write_text(target.as_json())
    if script.suffix == ".js":
        command = ["node", str(script), str(arguments)]
        env["NODE_PATH"] = str(client.home / "node_modules")
    else:
        command = [str(client.home / "venv" / "bin" / "python"), str(script), str(arguments)]
        # testcontainers: its reaper image cannot be pulled here; /.dockerenv would make it poll a gateway
        env.update(TESTCONTAINERS_RYUK_DISABLED="true", TESTCONTAINERS_CONNECTION_MODE="docker_host")
    return run_script(command, env, target.workdir)


def _docker(spec: ClientSpec) -> str:
    binary = spec.home / "usr" / "bin" / "docker"
    assert os.access(binary, os.X_OK), f"{spec.key}: {binary} is missing from the unpacked package"
    return str(binary)
