"""Containers: the documented lifecycle, each step observed through another endpoint."""

import json

import pytest

from fixtures.scenario.objects import demux, skip_unless_served
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
        lambda: _logged(api, container),
        10,
        "the container's TERM handler in place",
        accept=lambda out: "trapped" in out,
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
    state = until(lambda: made.inspect(container)["State"], 10, "killed", accept=lambda s: s["Status"] == "exited")
    assert state["ExitCode"] == 137


def test_unknown_container_is_404_with_a_message(made, call):
    for operation in ("GET /containers/{id}/json", "DELETE /containers/{id}", "POST /containers/{id}/start"):
        assert call(operation, 404, id="no-such-container")["message"]


def test_removing_a_running_container_is_a_conflict(api, made, call):
    """DELETE without force 409; the container keeps running."""
    container = made.running()
    assert call("DELETE /containers/{id}", 409, id=container)["message"]
    assert made.inspect(container)["State"]["Running"] is True


def test_duplicate_name_is_a_conflict(made, call):
    name = made.name("dup")
    made.container(name=name, **HELLO)
    assert name in call("POST /containers/create", 409, params={"name": name}, json=made.labelled(HELLO))["message"]


def _ours(made, **more) -> dict:
    """A label of this test alone, for list and prune filters that must not see other tests' containers."""
    return {"conformance.test": made.name("set"), **more}


def _by_label(label: dict) -> str:
    return json.dumps({"label": [f"{key}={value}" for key, value in label.items()]})


def _logged(api, container: str) -> str:
    return demux(api.get(f"/containers/{container}/logs", params={"stdout": 1, "stderr": 1}).content)[0]


def test_update_changes_resources_and_restart_policy(api, made, check, engine):
    """POST /containers/{id}/update 200: the new memory limit and restart policy show in inspect."""
    container = made.running()
    response = api.post(
        f"/containers/{container}/update",
        json={
            "Memory": 64 * 1024 * 1024,
            "MemorySwap": -1,
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
        },
    )
    skip_unless_served(response, engine, "POST /containers/{id}/update")
    answer = check(response, 200, "POST /containers/{id}/update")
    assert "Warnings" in answer
    host = made.inspect(container)["HostConfig"]
    assert host["Memory"] == 64 * 1024 * 1024
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}


def test_rename_and_a_taken_name(api, made, call):
    """POST /containers/{id}/rename 204: inspect by the new name, the old one 404; a taken name 409."""
    old, new, taken = made.name("old"), made.name("new"), made.name("taken")
    container = made.container(["true"], name=old)
    made.container(["true"], name=taken)
    call("POST /containers/{id}/rename", 204, id=container, params={"name": new})
    assert call("GET /containers/{id}/json", 200, id=new)["Id"] == container
    assert made.inspect(container)["Name"] == f"/{new}"
    assert api.get(f"/containers/{old}/json").status_code == 404
    assert call("POST /containers/{id}/rename", 409, id=container, params={"name": taken})["message"]
    assert made.inspect(container)["Name"] == f"/{new}"


def test_pause_and_unpause(api, made, call):
    """pause 204: State.Paused and status paused, exec refused with 409; unpause 204: running again."""
    container = made.running()
    call("POST /containers/{id}/pause", 204, id=container)
    state = made.inspect(container)["State"]
    assert (state["Paused"], state["Status"]) == (True, "paused")
    assert call("POST /containers/{id}/exec", 409, id=container, json={"Cmd": ["true"]})["message"]
    call("POST /containers/{id}/unpause", 204, id=container)
    state = made.inspect(container)["State"]
    assert (state["Paused"], state["Status"], state["Running"]) == (False, "running", True)


def test_restart_starts_the_process_again(api, made, call):
    """POST /containers/{id}/restart?t=1 204: StartedAt moves and the command runs a second time."""
    container = made.running(["sh", "-c", "echo started; sleep 300"])
    until(lambda: _logged(api, container), 10, "the first start's output", accept=lambda out: out == "started\n")
    before = made.inspect(container)["State"]["StartedAt"]
    call("POST /containers/{id}/restart", 204, id=container, params={"t": 1}, timeout=30)
    state = made.inspect(container)["State"]
    assert state["Running"] is True
    assert state["StartedAt"] > before
    until(lambda: _logged(api, container), 10, "the second start's output", accept="started\nstarted\n".__eq__)


def test_resize_a_tty_container(api, made, call):
    """POST /containers/{id}/resize 200: the container's terminal has the new size; a bad size is 400."""
    container = made.running(["sleep", "300"], Tty=True, OpenStdin=True)
    call("POST /containers/{id}/resize", 200, id=container, params={"h": 40, "w": 100})
    body = {"Cmd": ["stty", "-F", "/proc/1/fd/0", "size"], "AttachStdout": True, "AttachStderr": True}
    exec_id = call("POST /containers/{id}/exec", 201, id=container, json=body)["Id"]
    started = api.post(f"/exec/{exec_id}/start", json={"Detach": False, "Tty": False}, timeout=30)
    assert demux(started.content) == ("40 100\n", "")
    assert call("POST /containers/{id}/resize", 400, id=container, params={"h": "tall", "w": 100})["message"]


def test_wait_not_running_returns_at_once_for_an_exited_container(made, call):
    """POST /containers/{id}/wait?condition=not-running of an exited container: at once, with its exit code."""
    exited = made.container(["sh", "-c", "exit 3"])
    call("POST /containers/{id}/start", 204, id=exited)
    until(lambda: made.inspect(exited)["State"], 10, "the container exited", accept=lambda s: s["Running"] is False)
    answer = call("POST /containers/{id}/wait", 200, id=exited, params={"condition": "not-running"}, timeout=10)
    assert answer["StatusCode"] == 3


# the engine answers the headers once the wait is registered, and the body when the condition is met
def test_wait_next_exit_returns_when_the_container_exits(api, made, call, check):
    """condition=next-exit on a running container: the answer comes when it exits, with its exit code."""
    running = made.running()
    next_exit = api.post(f"/containers/{running}/wait", params={"condition": "next-exit"}, stream=True, timeout=30)
    assert made.inspect(running)["State"]["Running"] is True
    call("POST /containers/{id}/kill", 204, id=running)
    assert check(next_exit, 200, "POST /containers/{id}/wait")["StatusCode"] == 137


def test_wait_removed_returns_when_the_container_is_removed(api, made, call, check):
    """condition=removed on an exited container: the answer comes once it is removed, with its exit code."""
    exited = made.container(["sh", "-c", "exit 3"])
    call("POST /containers/{id}/start", 204, id=exited)
    assert call("POST /containers/{id}/wait", 200, id=exited, timeout=30)["StatusCode"] == 3
    removed = api.post(f"/containers/{exited}/wait", params={"condition": "removed"}, stream=True, timeout=30)
    assert api.get(f"/containers/{exited}/json").status_code == 200, "removed does not return before the removal"
    assert api.delete(f"/containers/{exited}").status_code == 204
    assert check(removed, 200, "POST /containers/{id}/wait")["StatusCode"] == 3


def test_wait_with_an_unknown_condition_is_a_bad_request(made, call):
    container = made.container(["true"])
    refused = call("POST /containers/{id}/wait", 400, id=container, params={"condition": "sometime"}, timeout=10)
    assert refused["message"]


def test_kill_with_named_and_numbered_signals(api, made, call):
    """kill signal=SIGUSR1 and signal=1 reach the container's traps; it keeps running; an unknown signal is 400."""
    script = "trap 'echo got USR1' USR1; trap 'echo got HUP' HUP; echo ready; while :; do sleep 300 & wait $!; done"
    container = made.running(["sh", "-c", script])
    until(lambda: _logged(api, container), 10, "the container's traps in place", accept="ready\n".__eq__)
    call("POST /containers/{id}/kill", 204, id=container, params={"signal": "SIGUSR1"})
    until(lambda: _logged(api, container), 10, "the USR1 trap ran", accept=lambda out: "got USR1" in out)
    call("POST /containers/{id}/kill", 204, id=container, params={"signal": "1"})
    until(lambda: _logged(api, container), 10, "the HUP trap ran", accept=lambda out: "got HUP" in out)
    assert made.inspect(container)["State"]["Running"] is True
    assert call("POST /containers/{id}/kill", 400, id=container, params={"signal": "SIGNOPE"})["message"]
    assert made.inspect(container)["State"]["Running"] is True


def test_prune_removes_only_stopped_containers_with_the_label(api, made, call):
    """POST /containers/prune with a label filter: the stopped labelled container goes, running and unlabelled stay."""
    label = _ours(made)
    stopped = made.container(["true"], Labels=label)
    running = made.running(Labels=label)
    other = made.container(["true"])
    for container in (stopped, other):
        call("POST /containers/{id}/start", 204, id=container)
        assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    pruned = call("POST /containers/prune", 200, params={"filters": _by_label(label)}, timeout=60)
    assert pruned["ContainersDeleted"] == [stopped]
    assert pruned["SpaceReclaimed"] >= 0
    assert api.get(f"/containers/{stopped}/json").status_code == 404
    assert made.inspect(running)["State"]["Running"] is True
    assert made.inspect(other)["State"]["Running"] is False, "an unlabelled stopped container is kept"


def test_list_filters_limit_and_size(api, made, call):
    """GET /containers/json filters label, status, name, ancestor and id; limit; size adds SizeRw."""
    label = _ours(made)
    name = made.name("listed")
    created = made.container(["true"], name=name, Labels=label)
    running = made.running(Labels=label)

    def listed(**filters) -> list[str]:
        query = {"label": [f"{k}={v}" for k, v in label.items()], **filters}
        return sorted(
            c["Id"] for c in call("GET /containers/json", 200, params={"all": 1, "filters": json.dumps(query)})
        )

    assert listed() == sorted([created, running])
    assert listed(status=["running"]) == [running]
    assert listed(status=["created"]) == [created]
    assert listed(name=[name]) == [created]
    assert listed(ancestor=["alpine"]) == sorted([created, running])
    assert listed(id=[running]) == [running]
    assert len(call("GET /containers/json", 200, params={"all": 1, "limit": 1})) == 1
    wrote = made.running(["sh", "-c", "echo data > /written; sleep 300"], Labels=label)

    def sizes() -> dict:
        sized = call("GET /containers/json", 200, params={"all": 1, "size": 1, "filters": _by_label(label)})
        return {c["Id"]: (c.get("SizeRw", 0), c["SizeRootFs"]) for c in sized}

    size_rw, size_root = until(
        lambda: sizes()[wrote], 10, "the written file counted in SizeRw", accept=lambda sized: sized[0] > 0
    )
    assert size_root >= size_rw > 0


def test_list_with_malformed_filters_is_a_bad_request(api, made, call):
    assert call("GET /containers/json", 400, params={"filters": "{not json"})["message"]


def test_create_env_workdir_user_and_entrypoint(api, made, call):
    """Env, WorkingDir, User and Entrypoint are in inspect and in the container's own view of itself."""
    container = made.container(
        ['echo "$GREETING $(pwd) $(id -u)"'],
        Entrypoint=["sh", "-c"],
        Env=["GREETING=hi"],
        WorkingDir="/srv/work",
        User="1234",
    )
    config = made.inspect(container)["Config"]
    assert (config["Entrypoint"], config["WorkingDir"], config["User"]) == (["sh", "-c"], "/srv/work", "1234")
    assert "GREETING=hi" in config["Env"]
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    assert _logged(api, container) == "hi /srv/work 1234\n"


def test_create_with_a_named_volume_and_a_tmpfs(api, made, call):
    """A named volume mount carries a file from one container to the next; a tmpfs mount is a tmpfs inside."""
    volume = made.volume()
    mounts = [
        {"Type": "volume", "Source": volume, "Target": "/data"},
        {"Type": "tmpfs", "Target": "/scratch"},
    ]
    writer = made.container(
        ["sh", "-c", "echo kept > /data/f && grep -c ' /scratch tmpfs ' /proc/mounts"], HostConfig={"Mounts": mounts}
    )
    call("POST /containers/{id}/start", 204, id=writer)
    assert call("POST /containers/{id}/wait", 200, id=writer, timeout=30)["StatusCode"] == 0
    assert _logged(api, writer) == "1\n"
    assert {(m["Type"], m["Destination"]) for m in made.inspect(writer)["Mounts"]} >= {("volume", "/data")}
    reader = made.container(["cat", "/data/f"], HostConfig={"Mounts": mounts[:1]})
    call("POST /containers/{id}/start", 204, id=reader)
    assert call("POST /containers/{id}/wait", 200, id=reader, timeout=30)["StatusCode"] == 0
    assert _logged(api, reader) == "kept\n"


def test_restart_policy_on_failure_retries(made, call):
    """RestartPolicy on-failure with MaximumRetryCount 2: a failing command is restarted twice, then stays exited."""
    container = made.container(
        ["sh", "-c", "exit 1"], HostConfig={"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2}}
    )
    call("POST /containers/{id}/start", 204, id=container)
    inspected = until(
        lambda: made.inspect(container),
        20,
        "two restarts, then exited",
        accept=lambda i: i["RestartCount"] == 2 and i["State"]["Status"] == "exited",
    )
    assert inspected["State"]["ExitCode"] == 1


@pytest.mark.parametrize(("test", "status"), [("true", "healthy"), ("false", "unhealthy")])
def test_healthcheck_status(made, test, status):
    """A Healthcheck's command decides State.Health.Status: healthy when it passes, unhealthy when it fails."""
    second = 1_000_000_000
    check = {"Test": ["CMD-SHELL", test], "Interval": second, "Timeout": 5 * second, "Retries": 1, "StartPeriod": 0}
    container = made.running(Healthcheck=check)
    health = until(
        lambda: made.inspect(container)["State"].get("Health"),
        20,
        f"health {status}",
        accept=lambda h: h and h["Status"] != "starting",
    )
    assert health["Status"] == status
    assert health["Log"][-1]["ExitCode"] == (0 if test == "true" else 1)


def test_create_with_memory_and_pids_limits(api, made, call):
    """HostConfig Memory and PidsLimit show in inspect and in the container's cgroup."""
    container = made.running(HostConfig={"Memory": 64 * 1024 * 1024, "PidsLimit": 50})
    host = made.inspect(container)["HostConfig"]
    assert (host["Memory"], host["PidsLimit"]) == (64 * 1024 * 1024, 50)
    body = {
        "Cmd": ["sh", "-c", "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null"],
        "AttachStdout": True,
    }
    exec_id = call("POST /containers/{id}/exec", 201, id=container, json=body)["Id"]
    started = api.post(f"/exec/{exec_id}/start", json={"Detach": False, "Tty": False}, timeout=30)
    assert demux(started.content)[0] == "50\n"


def test_a_published_port_is_reached_from_another_container(api, made, call):
    """PortBindings with an empty HostPort: a port is chosen, listed in inspect and list, and it answers there."""
    server = made.running(
        ["sh", "-c", "mkdir -p /www && echo published > /www/index.html && httpd -f -p 8080 -h /www"],
        ExposedPorts={"8080/tcp": {}},
        HostConfig={"PortBindings": {"8080/tcp": [{"HostPort": ""}]}},
    )
    settings = made.inspect(server)["NetworkSettings"]
    port = int(settings["Ports"]["8080/tcp"][0]["HostPort"])
    gateway = next(iter(settings["Networks"].values()))["Gateway"]
    listed = call("GET /containers/json", 200, params={"filters": json.dumps({"id": [server]})})
    assert port in [p.get("PublicPort") for p in listed[0]["Ports"]]
    url = f"http://{gateway}:{port}/"
    client = made.container(["sh", "-c", f"for i in $(seq 50); do wget -qO- {url} && exit 0; sleep 0.2; done; exit 1"])
    call("POST /containers/{id}/start", 204, id=client)
    assert call("POST /containers/{id}/wait", 200, id=client, timeout=30)["StatusCode"] == 0
    assert _logged(api, client) == "published\n"
