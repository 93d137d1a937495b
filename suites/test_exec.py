"""Exec: create, start with output, inspect the exit code, resize a TTY."""

import pytest

from fixtures.scenario.objects import demux
from fixtures.wait import until

pytestmark = pytest.mark.exec


def _exec(call, container: str, cmd: list[str], **config) -> str:
    body = {"Cmd": cmd, "AttachStdout": True, "AttachStderr": True, **config}
    return call("POST /containers/{id}/exec", 201, id=container, json=body)["Id"]


def test_start_returns_output_and_inspect_the_exit_code(api, made, call):
    container = made.running()
    exec_id = _exec(call, container, ["sh", "-c", "echo out; echo err >&2; exit 7"])
    started = api.post(f"/exec/{exec_id}/start", json={"Detach": False, "Tty": False}, timeout=30)
    assert started.status_code == 200
    assert demux(started.content) == ("out\n", "err\n")
    inspected = call("GET /exec/{id}/json", 200, id=exec_id)
    assert (inspected["Running"], inspected["ExitCode"], inspected["ContainerID"]) == (False, 7, container)


def test_tty_exec_accepts_resize_and_refuses_bad_sizes(api, made, call):
    container = made.running()
    exec_id = _exec(call, container, ["sleep", "60"], Tty=True, AttachStdin=False)
    assert api.post(f"/exec/{exec_id}/start", json={"Detach": True, "Tty": True}).status_code == 200
    until(lambda: call("GET /exec/{id}/json", 200, id=exec_id)["Running"], 10, "exec running")
    assert api.post(f"/exec/{exec_id}/resize", params={"h": 40, "w": 100}).status_code in (200, 201)
    assert call("POST /exec/{id}/resize", 400, id=exec_id, params={"h": "tall", "w": 100})["message"]


def test_exec_in_a_stopped_container_is_a_conflict(api, made, call):
    container = made.container(["true"])
    assert call("POST /containers/{id}/exec", 409, id=container, json={"Cmd": ["true"]})["message"]


def test_unknown_exec_is_404(api, made):
    assert api.get("/exec/no-such-exec/json").status_code == 404
    assert api.post("/exec/no-such-exec/start", json={"Detach": True}).status_code == 404
