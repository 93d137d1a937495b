"""Swarm nodes on a two-node swarm of the run's own: list, inspect, update (labels, drain), delete."""

import json

import pytest

from fixtures.scenario.swarm import task_states
from fixtures.wait import until

pytestmark = pytest.mark.swarm


def test_nodes_list_both_with_their_roles(call, cluster):
    """GET /nodes lists the manager (leader) and the worker, both ready; filters by role."""
    nodes = {n["ID"]: n for n in call("GET /nodes", 200)}
    assert set(nodes) == {cluster.manager_node, cluster.worker_node}
    assert nodes[cluster.manager_node]["Spec"]["Role"] == "manager"
    assert nodes[cluster.manager_node]["ManagerStatus"]["Leader"] is True
    assert nodes[cluster.worker_node]["Spec"]["Role"] == "worker"
    assert "ManagerStatus" not in nodes[cluster.worker_node]
    workers = call("GET /nodes", 200, params={"filters": json.dumps({"role": ["worker"]})})
    assert [n["ID"] for n in workers] == [cluster.worker_node]


def test_node_inspect(call, cluster):
    """GET /nodes/{id}: the node's address on the run's network and its engine; an unknown id is 404."""
    worker = call("GET /nodes/{id}", 200, id=cluster.worker_node)
    assert worker["ID"] == cluster.worker_node
    assert worker["Status"]["Addr"] == cluster.worker_address
    assert worker["Description"]["Engine"]["EngineVersion"] == cluster.worker.version["Version"]
    manager = call("GET /nodes/{id}", 200, id=cluster.manager_node)
    assert manager["ManagerStatus"]["Addr"] == f"{cluster.manager_address}:2377"
    assert call("GET /nodes/{id}", 404, id="no-such-node")["message"]


def test_node_update_labels(call, cluster):
    """POST /nodes/{id}/update at its version sets labels, seen in inspect and the node.label filter."""
    before = call("GET /nodes/{id}", 200, id=cluster.worker_node)
    spec = {**before["Spec"], "Labels": {"conformance.zone": "a"}}
    call(
        "POST /nodes/{id}/update",
        200,
        id=cluster.worker_node,
        params={"version": before["Version"]["Index"]},
        json=spec,
    )
    after = call("GET /nodes/{id}", 200, id=cluster.worker_node)
    assert after["Spec"]["Labels"] == {"conformance.zone": "a"}
    labelled = call("GET /nodes", 200, params={"filters": json.dumps({"node.label": ["conformance.zone=a"]})})
    assert [n["ID"] for n in labelled] == [cluster.worker_node]
    call(
        "POST /nodes/{id}/update",
        200,
        id=cluster.worker_node,
        params={"version": after["Version"]["Index"]},
        json={**after["Spec"], "Labels": {}},
    )


def test_drain_moves_tasks_off_the_node(call, made, cluster):
    """Availability drain: the node's tasks are shut down and run again on the other node."""
    service = made.service(Mode={"Replicated": {"Replicas": 2}})
    query = {"service": [service], "desired-state": ["running"]}

    def placed(on: set[str]):
        """Wait until both tasks run, on nodes among ON."""
        until(
            lambda: call("GET /tasks", 200, params={"filters": json.dumps(query)}),
            90,
            f"both tasks running on {sorted(node[:12] for node in on)}",
            interval=0.1,
            accept=lambda tasks: (
                len(tasks) == 2 and all(t["Status"]["State"] == "running" and t["NodeID"] in on for t in tasks)
            ),
            seen=task_states,
        )

    placed({cluster.manager_node, cluster.worker_node})
    _set_availability(call, cluster.worker_node, "drain")
    try:
        assert call("GET /nodes/{id}", 200, id=cluster.worker_node)["Spec"]["Availability"] == "drain"
        placed({cluster.manager_node})  # after the drain
        on_worker = call(
            "GET /tasks", 200, params={"filters": json.dumps({"service": [service], "node": [cluster.worker_node]})}
        )
        assert all(t["DesiredState"] == "shutdown" for t in on_worker)
    finally:
        _set_availability(call, cluster.worker_node, "active")


def test_delete_of_a_node_that_is_up_needs_force(call, cluster):
    """DELETE /nodes/{id} of a node that is up is refused without force; the node stays listed."""
    assert call("DELETE /nodes/{id}", 400, id=cluster.worker_node)["message"]
    assert cluster.worker_node in [n["ID"] for n in call("GET /nodes", 200)]


def test_node_update_at_a_stale_version_is_400(api, call, cluster):
    """POST /nodes/{id}/update at a version that is no longer current is refused as a bad parameter."""
    before = call("GET /nodes/{id}", 200, id=cluster.worker_node)
    call(
        "POST /nodes/{id}/update",
        200,
        id=cluster.worker_node,
        params={"version": before["Version"]["Index"]},
        json=before["Spec"],
    )
    stale = api.post(
        f"/nodes/{cluster.worker_node}/update",
        params={"version": before["Version"]["Index"]},
        json={**before["Spec"], "Labels": {"conformance.stale": "yes"}},
    )
    assert "out of sequence" in stale.json()["message"]
    assert call("GET /nodes/{id}", 200, id=cluster.worker_node)["Spec"].get("Labels", {}) == before["Spec"].get(
        "Labels", {}
    )
    assert stale.status_code == 400, stale.text


def _set_availability(call, node: str, availability: str) -> None:
    """POST /nodes/{id}/update of the node's current spec with another Availability, at its current version."""
    current = call("GET /nodes/{id}", 200, id=node)
    spec = {**current["Spec"], "Availability": availability}
    call("POST /nodes/{id}/update", 200, id=node, params={"version": current["Version"]["Index"]}, json=spec)
