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
    refused = api.post(f"/exec/{exec_id}/resize", params={"h": "tall", "w": 100})
    assert refused.status_code == 400
    assert refused.json()["message"]


def test_exec_in_a_stopped_container_is_a_conflict(api, made):
    container = made.container(["true"])
    refused = api.post(f"/containers/{container}/exec", json={"Cmd": ["true"]})
    assert refused.status_code == 409
    assert refused.json()["message"]


def test_unknown_exec_is_404(api, made):
    assert api.get("/exec/no-such-exec/json").status_code == 404
    assert api.post("/exec/no-such-exec/start", json={"Detach": True}).status_code == 404


WRONG_TYPE = ({"Content-Type": "text/plain"}, b'{"Cmd": ["true"]}')
EMPTY = ({"Content-Type": "application/json"}, b"")  # for exec create only: the body of exec start is optional
GARBAGE = ({"Content-Type": "application/json"}, b'{"Cmd": ["true"]} garbage')


def _exec_create_refused(api, made, headers: dict, body: bytes) -> None:
    """POST /containers/{id}/exec with a bad body: 400 with a JSON message, and no exec made."""
    container = made.running()
    refused = api.post(f"/containers/{container}/exec", data=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["message"]
    assert not made.inspect(container)["ExecIDs"]


def test_exec_create_refuses_a_wrong_content_type(api, made):
    """POST /containers/{id}/exec with Content-Type text/plain: 400 with a JSON message, no exec made."""
    _exec_create_refused(api, made, *WRONG_TYPE)


def test_exec_create_refuses_an_empty_body(api, made):
    """POST /containers/{id}/exec with an empty body: 400 with a JSON message, no exec made."""
    _exec_create_refused(api, made, *EMPTY)


def test_exec_create_refuses_trailing_garbage(api, made):
    """POST /containers/{id}/exec with data after the JSON object: 400 with a JSON message, no exec made."""
    _exec_create_refused(api, made, *GARBAGE)


def _exec_start_refused(api, made, call, headers: dict, body: bytes) -> None:
    """POST /exec/{id}/start with a bad body: 400 with a JSON message, and the exec not started."""
    container = made.running()
    exec_id = _exec(call, container, ["true"])
    body = body.replace(b'"Cmd": ["true"]', b'"Detach": true')
    refused = api.post(f"/exec/{exec_id}/start", data=body, headers=headers)
    assert refused.status_code == 400
    assert refused.json()["message"]
    inspected = call("GET /exec/{id}/json", 200, id=exec_id)
    assert (inspected["Running"], inspected["Pid"]) == (False, 0)


def test_exec_start_refuses_a_wrong_content_type(api, made, call):
    """POST /exec/{id}/start with Content-Type text/plain: 400 with a JSON message, not started."""
    _exec_start_refused(api, made, call, *WRONG_TYPE)


def test_exec_start_refuses_trailing_garbage(api, made, call):
    """POST /exec/{id}/start with data after the JSON object: 400 with a JSON message, not started."""
    _exec_start_refused(api, made, call, *GARBAGE)
