"""Swarm services and tasks on a two-node swarm of the run's own: create (replicated, global, replicated job),
list, inspect, update, rollback, logs, delete; tasks listed, inspected, their logs; secrets and configs mounted.
The flows that place tasks on both nodes take `cluster`; the rest run on the manager alone where no worker can join."""

import base64
import json

import pytest

from fixtures.scenario.objects import demux
from fixtures.scenario.swarm import task_states
from fixtures.wait import until

pytestmark = pytest.mark.swarm

TASK_WAIT = 90  # the worker pulls the workload image through the mirror on its first task


def tasks_of(call, service: str, **filters) -> list[dict]:
    """GET /tasks of SERVICE, with more FILTERS."""
    query = {"service": [service], **{k: [v] for k, v in filters.items()}}
    return call("GET /tasks", 200, params={"filters": json.dumps(query)})


def running_tasks(call, service: str, count: int) -> list[dict]:
    """The service's COUNT tasks that should run, once all of them do (bounded wait)."""
    return until(
        lambda: tasks_of(call, service, **{"desired-state": "running"}),
        TASK_WAIT,
        f"{count} running tasks of service {service[:12]}",
        interval=0.1,
        accept=lambda tasks: len(tasks) == count and all(t["Status"]["State"] == "running" for t in tasks),
        seen=task_states,
    )


def test_replicated_service_runs_a_task_on_each_node(api, call, made, cluster):
    """A replicated service of 2 replicas: listed, inspected, a running task on each node (no placement rules)."""
    name = made.name("service")
    service = made.service(
        name=name, Mode={"Replicated": {"Replicas": 2}}, TaskTemplate={"Placement": {"MaxReplicas": 1}}
    )
    inspected = call("GET /services/{id}", 200, id=service)
    assert inspected["Spec"]["Name"] == name
    assert inspected["Spec"]["Mode"]["Replicated"]["Replicas"] == 2
    assert inspected["Spec"]["Labels"] == made.labels
    assert call("GET /services/{id}", 200, id=name)["ID"] == service

    tasks = running_tasks(call, service, 2)
    assert {t["NodeID"] for t in tasks} == {cluster.manager_node, cluster.worker_node}
    assert all(t["ServiceID"] == service for t in tasks)


def test_services_list_filters(call, made, swarm_manager):
    """GET /services filters by id, name, label and mode."""
    replicated = made.service(Mode={"Replicated": {"Replicas": 0}}, Labels={"conformance.kind": "replicated"})
    global_ = made.service(Mode={"Global": {}}, Labels={"conformance.kind": "global"})
    name = call("GET /services/{id}", 200, id=replicated)["Spec"]["Name"]

    def listed(**filters):
        return {s["ID"] for s in call("GET /services", 200, params={"filters": json.dumps(filters)})}

    assert listed(id=[replicated]) == {replicated}
    assert listed(name=[name]) == {replicated}
    assert listed(label=["conformance.kind=global"]) & {replicated, global_} == {global_}
    assert listed(mode=["global"]) & {replicated, global_} == {global_}
    assert listed(mode=["replicated"]) & {replicated, global_} == {replicated}
    assert {replicated, global_} <= {s["ID"] for s in call("GET /services", 200)}


def test_global_service_runs_one_task_per_node(call, made, cluster):
    """A global service runs exactly one task on every node."""
    service = made.service(Mode={"Global": {}})
    tasks = running_tasks(call, service, 2)
    assert sorted(t["NodeID"] for t in tasks) == sorted([cluster.manager_node, cluster.worker_node])
    assert "Global" in call("GET /services/{id}", 200, id=service)["Spec"]["Mode"]


@pytest.mark.requires_api("1.41")
def test_replicated_job_completes(call, made, swarm_manager):
    """A replicated job runs its task to completion (state complete) and records the job's iteration."""
    service = made.service(["true"], Mode={"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 1}})
    tasks = until(
        lambda: tasks_of(call, service),
        TASK_WAIT,
        "the job's task complete",
        interval=0.1,
        accept=lambda tasks: any(t["Status"]["State"] == "complete" for t in tasks),
        seen=task_states,
    )
    complete = [t for t in tasks if t["Status"]["State"] == "complete"]
    assert len(complete) == 1
    assert complete[0]["Status"]["ContainerStatus"]["ExitCode"] == 0
    job = call("GET /services/{id}", 200, id=service)["JobStatus"]
    assert "JobIteration" in job and job["LastExecution"]


def test_update_rolls_tasks(call, made, swarm_manager):
    """POST /services/{id}/update at its version: an env change replaces the tasks with ones of the new env."""
    # both tasks at once (the default replaces one after the other)
    service = made.service(Mode={"Replicated": {"Replicas": 2}}, UpdateConfig={"Parallelism": 2})
    old_tasks = {t["ID"] for t in running_tasks(call, service, 2)}
    before = call("GET /services/{id}", 200, id=service)
    spec = before["Spec"]
    spec["TaskTemplate"]["ContainerSpec"]["Env"] = ["CONFORMANCE=updated"]
    call("POST /services/{id}/update", 200, id=service, params={"version": before["Version"]["Index"]}, json=spec)

    fresh = until(
        lambda: running_tasks(call, service, 2),
        TASK_WAIT,
        "both tasks replaced",
        interval=0.1,
        accept=lambda tasks: not {t["ID"] for t in tasks} & old_tasks,
        seen=lambda tasks: sorted("old" if t["ID"] in old_tasks else "new" for t in tasks),
    )
    assert all(t["Spec"]["ContainerSpec"]["Env"] == ["CONFORMANCE=updated"] for t in fresh)
    after = call("GET /services/{id}", 200, id=service)
    assert after["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"] == ["CONFORMANCE=updated"]
    assert after["PreviousSpec"]["TaskTemplate"]["ContainerSpec"].get("Env") is None


def test_update_at_a_stale_version_is_400(api, call, made, swarm_manager):
    """POST /services/{id}/update at a version that is no longer current is refused as a bad parameter."""
    service = made.service(Mode={"Replicated": {"Replicas": 0}})
    before = call("GET /services/{id}", 200, id=service)
    call(
        "POST /services/{id}/update",
        200,
        id=service,
        params={"version": before["Version"]["Index"]},
        json=before["Spec"],
    )
    spec = before["Spec"]
    spec["TaskTemplate"]["ContainerSpec"]["Env"] = ["CONFORMANCE=stale"]
    stale = api.post(f"/services/{service}/update", params={"version": before["Version"]["Index"]}, json=spec)
    assert "out of sequence" in stale.json()["message"]
    assert call("GET /services/{id}", 200, id=service)["Spec"]["TaskTemplate"]["ContainerSpec"].get("Env") is None
    assert stale.status_code == 400, stale.text


def test_rollback_restores_the_previous_spec(call, made, swarm_manager):
    """POST /services/{id}/update with rollback=previous: the previous spec returns."""
    service = made.service(Mode={"Replicated": {"Replicas": 1}})
    first = call("GET /services/{id}", 200, id=service)
    spec = first["Spec"]
    spec["TaskTemplate"]["ContainerSpec"]["Env"] = ["CONFORMANCE=second"]
    call("POST /services/{id}/update", 200, id=service, params={"version": first["Version"]["Index"]}, json=spec)
    # the rolling update's end changes the service's UpdateStatus, and with it its version: roll back after it
    second = until(
        lambda: call("GET /services/{id}", 200, id=service),
        TASK_WAIT,
        "the update completed",
        interval=0.1,
        accept=lambda inspected: inspected.get("UpdateStatus", {}).get("State") == "completed",
        seen=lambda inspected: inspected.get("UpdateStatus"),
    )
    assert second["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"] == ["CONFORMANCE=second"]

    call(
        "POST /services/{id}/update",
        200,
        id=service,
        params={"version": second["Version"]["Index"], "rollback": "previous"},
        json=second["Spec"],
    )
    rolled = call("GET /services/{id}", 200, id=service)
    assert rolled["Spec"]["TaskTemplate"]["ContainerSpec"].get("Env") is None
    assert rolled["PreviousSpec"]["TaskTemplate"]["ContainerSpec"]["Env"] == ["CONFORMANCE=second"]


def test_service_and_task_logs(api, call, made, cluster):
    """GET /services/{id}/logs holds every task's output; GET /tasks/{id}/logs the one task's."""
    service = made.service(
        ["sh", "-c", "echo hello from $(hostname); trap 'exit 0' TERM; sleep 300 & wait"],
        Mode={"Replicated": {"Replicas": 2}},
        TaskTemplate={"Placement": {"MaxReplicas": 1}},
    )
    tasks = running_tasks(call, service, 2)

    def service_output() -> list[str]:
        logs = api.get(f"/services/{service}/logs", params={"stdout": 1, "follow": 0}, timeout=30)
        assert logs.status_code == 200, logs.text
        return demux(logs.content)[0].splitlines()

    lines = until(
        service_output, 30, "both tasks' output in the service logs", interval=0.1, accept=lambda out: len(out) == 2
    )
    assert all(line.startswith("hello from ") for line in lines)

    task = tasks[0]
    logs = api.get(f"/tasks/{task['ID']}/logs", params={"stdout": 1, "follow": 0}, timeout=30)
    assert logs.status_code == 200, logs.text
    assert demux(logs.content)[0].splitlines() == [
        f"hello from {task['Status']['ContainerStatus']['ContainerID'][:12]}"
    ]


def test_tasks_list_filters_and_inspect(call, made, cluster):
    """GET /tasks filters by service, desired-state and node; GET /tasks/{id} returns the task."""
    service = made.service(Mode={"Replicated": {"Replicas": 2}}, TaskTemplate={"Placement": {"MaxReplicas": 1}})
    other = made.service(Mode={"Replicated": {"Replicas": 1}})
    tasks = running_tasks(call, service, 2)
    running_tasks(call, other, 1)

    assert {t["ServiceID"] for t in tasks_of(call, service)} == {service}
    assert tasks_of(call, service, **{"desired-state": "shutdown"}) == []
    on_worker = tasks_of(call, service, node=cluster.worker_node)
    assert [t["NodeID"] for t in on_worker] == [cluster.worker_node]
    every = {t["ID"] for t in call("GET /tasks", 200)}
    assert {t["ID"] for t in tasks} <= every

    task = call("GET /tasks/{id}", 200, id=tasks[0]["ID"])
    assert task["ServiceID"] == service
    assert task["DesiredState"] == "running"
    assert task["Spec"]["ContainerSpec"]["Image"].startswith("alpine")


def test_delete_service_removes_its_tasks(api, call, made, swarm_manager):
    """DELETE /services/{id}: inspect answers 404 and its tasks go."""
    service = made.service(Mode={"Replicated": {"Replicas": 2}})
    running_tasks(call, service, 2)
    call("DELETE /services/{id}", 200, id=service)
    assert api.get(f"/services/{service}").status_code == 404
    until(
        lambda: [t for t in call("GET /tasks", 200) if t["ServiceID"] == service],
        TASK_WAIT,
        "the deleted service's tasks gone",
        interval=0.1,
        accept=lambda tasks: not tasks,
        seen=task_states,
    )
    assert api.get("/tasks", params={"filters": json.dumps({"service": [service]})}).status_code == 404


def test_service_mounts_a_secret_and_a_config(api, call, made, swarm_manager):
    """A service's task reads its secret under /run/secrets and its config at the target named (exec)."""
    secret = made.secret(b"secret for the task")
    config = made.config(b"config for the task")
    secret_name = call("GET /secrets/{id}", 200, id=secret)["Spec"]["Name"]
    config_name = call("GET /configs/{id}", 200, id=config)["Spec"]["Name"]
    file = {"UID": "0", "GID": "0", "Mode": 0o444}
    service = made.service(
        Mode={"Replicated": {"Replicas": 1}},
        TaskTemplate={
            "Placement": {"Constraints": ["node.role==manager"]},  # its container is on the engine called
            "ContainerSpec": {
                "Secrets": [{"SecretID": secret, "SecretName": secret_name, "File": {"Name": "token", **file}}],
                "Configs": [{"ConfigID": config, "ConfigName": config_name, "File": {"Name": "/app.conf", **file}}],
            },
        },
    )
    (task,) = running_tasks(call, service, 1)
    container = task["Status"]["ContainerStatus"]["ContainerID"]
    exec_id = call(
        "POST /containers/{id}/exec",
        201,
        id=container,
        json={"Cmd": ["cat", "/run/secrets/token", "/app.conf"], "AttachStdout": True, "AttachStderr": True},
    )["Id"]
    output = api.post(f"/exec/{exec_id}/start", json={"Detach": False, "Tty": False}, timeout=30)
    assert output.status_code == 200
    assert demux(output.content) == ("secret for the taskconfig for the task", "")
    assert base64.b64decode(call("GET /configs/{id}", 200, id=config)["Spec"]["Data"]) == b"config for the task"
