"""Containers: the documented lifecycle, each step observed through another endpoint."""

import json

import pytest

from fixtures.scenario.objects import demux
from fixtures.wait import until

pytestmark = pytest.mark.containers

HELLO = {"Image": "alpine", "Cmd": ["echo", "Hello, World!"]}  # the API docs' own example


def test_create_start_wait_logs_delete(api, made, call):
    """POST /containers/create 201, start 204, logs hold stdout, DELETE 204, then inspect 404."""
    container = made.container(**HELLO)

    listed = call("GET /containers/json", 200, params={"all": 1})
    assert container in [c["Id"] for c in listed], "a created container is listed with all=1"
    assert next(c for c in listed if c["Id"] == container)["State"] == "created"

    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0

    logs = api.get(f"/containers/{container}/logs", params={"stdout": 1, "stderr": 1})
    assert logs.status_code == 200
    assert demux(logs.content) == ("Hello, World!\n", "")

    assert api.delete(f"/containers/{container}").status_code == 204
    gone = api.get(f"/containers/{container}/json")
    assert gone.status_code == 404
    assert "message" in gone.json()


def test_running_then_stopped_with_its_exit_code(api, made, call):
    """A started container is Running and listed; stop ends it with the code its TERM handler gives."""
    container = made.running(["sh", "-c", "trap 'exit 3' TERM; echo trapped; sleep 300 & wait"])
    # Running comes before the shell has set its trap: a TERM sent earlier would be ignored, then killed
    until(
        lambda: "trapped" in demux(api.get(f"/containers/{container}/logs", params={"stdout": 1}).content)[0],
        10,
        "the container's TERM handler in place",
    )
    assert call("GET /containers/{id}/json", 200, id=container)["State"]["Running"] is True
    assert container in [c["Id"] for c in call("GET /containers/json", 200)]

    call("POST /containers/{id}/stop", 204, id=container, params={"t": 10}, timeout=30)
    state = made.inspect(container)["State"]
    assert (state["Running"], state["Status"], state["ExitCode"]) == (False, "exited", 3)
    assert container not in [c["Id"] for c in api.get("/containers/json").json()], "no longer listed without all"


def test_kill_ends_a_container_with_sigkill(api, made):
    """POST /containers/{id}/kill 204: exit code 137."""
    container = made.running()
    assert api.post(f"/containers/{container}/kill").status_code == 204
    state = until(lambda: (s := made.inspect(container)["State"])["Status"] == "exited" and s, 10, "killed")
    assert state["ExitCode"] == 137


def test_unknown_container_is_404_with_a_message(api, made):
    for response in (
        api.get("/containers/no-such-container/json"),
        api.delete("/containers/no-such-container"),
        api.post("/containers/no-such-container/start"),
    ):
        assert response.status_code == 404, response.request.path_url
        assert response.json()["message"]


def test_removing_a_running_container_is_a_conflict(api, made):
    """DELETE without force 409; the container keeps running."""
    container = made.running()
    refused = api.delete(f"/containers/{container}")
    assert refused.status_code == 409
    assert refused.json()["message"]
    assert made.inspect(container)["State"]["Running"] is True


def test_duplicate_name_is_a_conflict(api, made):
    name = made.name("dup")
    made.container(name=name, **HELLO)
    second = api.post("/containers/create", params={"name": name}, json=made.labelled(HELLO))
    assert second.status_code == 409
    assert name in second.json()["message"]


def test_malformed_json_is_a_bad_request(api, made):
    response = api.post(
        "/containers/create", data=b'{"Image": "alpine", "Cmd": [', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"]
    ours = json.dumps({"label": [f"{key}={value}" for key, value in made.labels.items()]})
    listed = api.get("/containers/json", params={"all": 1, "filters": ours})
    assert listed.json() == [], "nothing was created"
