"""Swarm: the cluster itself (inspect, update, tokens, autolock, unlock, join, leave), secrets and configs; on a
two-node swarm of the run's own (the engine as manager, a second instance of it as worker). Only the join and leave
of the worker needs the second node (`cluster`); the rest runs on the manager alone where no worker can join."""

import base64
import json

import pytest

from fixtures.wait import until

pytestmark = pytest.mark.swarm


def swarm_update(call, spec: dict, version: int, status: int = 200, **flags):
    """POST /swarm/update with SPEC at VERSION and rotation FLAGS (booleans as the API spells them)."""
    params = {"version": version, **{k: str(v).lower() for k, v in flags.items()}}
    return call("POST /swarm/update", status, params=params, json=spec)


def test_secrets_outside_swarm_mode_are_503(call, made):
    """Before the module makes its swarm: outside swarm mode, the swarm endpoints answer 503."""
    if call("GET /info", 200)["Swarm"]["LocalNodeState"] == "active":
        pytest.skip("the engine is in swarm mode already")
    assert "swarm" in call("GET /secrets", 503)["message"]


def test_swarm_inspect(call, swarm_manager):
    """GET /swarm: the cluster's ID, its Version and both join tokens."""
    swarm = call("GET /swarm", 200)
    assert swarm["ID"]
    assert swarm["Version"]["Index"] > 0
    assert swarm["JoinTokens"]["Worker"].startswith("SWMTKN-1-")
    assert swarm["JoinTokens"]["Manager"].startswith("SWMTKN-1-")
    assert swarm["JoinTokens"]["Worker"] != swarm["JoinTokens"]["Manager"]
    assert call("GET /info", 200)["Swarm"]["Cluster"]["ID"] == swarm["ID"]


def test_swarm_update_with_version(api, call, swarm_manager):
    """POST /swarm/update at the current version changes the spec; the now stale version is refused."""
    before = call("GET /swarm", 200)
    spec = {**before["Spec"], "Labels": {"conformance.swarm": "updated"}}
    swarm_update(call, spec, before["Version"]["Index"])
    after = call("GET /swarm", 200)
    assert after["Spec"]["Labels"] == {"conformance.swarm": "updated"}
    assert after["Version"]["Index"] > before["Version"]["Index"]
    swarm_update(call, before["Spec"], after["Version"]["Index"])
    assert call("GET /swarm", 200)["Spec"]["Labels"] == before["Spec"]["Labels"]


def test_swarm_update_at_a_stale_version_is_400(api, call, swarm_manager):
    """POST /swarm/update at a version that is no longer current is refused as a bad parameter; nothing changes."""
    before = call("GET /swarm", 200)
    swarm_update(call, before["Spec"], before["Version"]["Index"])
    stale = api.post(
        "/swarm/update", params={"version": before["Version"]["Index"]}, json={**before["Spec"], "Labels": {"x": "y"}}
    )
    assert "out of sequence" in stale.json()["message"]
    assert call("GET /swarm", 200)["Spec"]["Labels"] == before["Spec"]["Labels"]
    assert stale.status_code == 400, stale.text


def test_rotate_worker_token(call, swarm_manager):
    """rotateWorkerToken=true: the worker token changes, the manager token does not."""
    before = call("GET /swarm", 200)
    swarm_update(call, before["Spec"], before["Version"]["Index"], rotateWorkerToken=True)
    after = call("GET /swarm", 200)
    assert after["JoinTokens"]["Worker"] != before["JoinTokens"]["Worker"]
    assert after["JoinTokens"]["Manager"] == before["JoinTokens"]["Manager"]


def test_autolock_and_unlock_key(api, call, swarm_manager):
    """Autolock on: GET /swarm/unlockkey gives the key; rotateManagerUnlockKey changes it; autolock off again."""
    before = call("GET /swarm", 200)
    locked = {**before["Spec"], "EncryptionConfig": {"AutoLockManagers": True}}
    swarm_update(call, locked, before["Version"]["Index"])
    try:
        assert call("GET /swarm", 200)["Spec"]["EncryptionConfig"]["AutoLockManagers"] is True
        key = call("GET /swarm/unlockkey", 200)["UnlockKey"]
        assert key.startswith("SWMKEY-1-")
        current = call("GET /swarm", 200)
        swarm_update(call, current["Spec"], current["Version"]["Index"], rotateManagerUnlockKey=True)
        until(
            lambda: call("GET /swarm/unlockkey", 200)["UnlockKey"],
            30,
            "the unlock key rotated",
            accept=lambda unlock_key: unlock_key not in ("", key),
        )
    finally:
        current = api.get("/swarm").json()
        unlocked = {**current["Spec"], "EncryptionConfig": {"AutoLockManagers": False}}
        swarm_update(call, unlocked, current["Version"]["Index"])
    assert call("GET /swarm", 200)["Spec"]["EncryptionConfig"]["AutoLockManagers"] is False
    assert call("GET /swarm/unlockkey", 200)["UnlockKey"] == ""


def test_unlock_of_an_unlocked_manager_is_refused(api, call, swarm_manager):
    """POST /swarm/unlock with a wrong key on a manager that is not locked is refused; the swarm stays as it was."""
    refused = api.post("/swarm/unlock", json={"UnlockKey": "SWMKEY-1-wrong"})
    assert "not locked" in refused.json()["message"]
    assert call("GET /info", 200)["Swarm"]["LocalNodeState"] == "active"
    assert refused.status_code in (500, 503), f"not a documented status: {refused.status_code} {refused.text}"


def test_worker_leaves_is_removed_and_joins_again(api, call, worker_call, cluster):
    """The worker's POST /swarm/leave: its node goes down, DELETE /nodes/{id} removes it; POST /swarm/join again."""
    token = call("GET /swarm", 200)["JoinTokens"]["Worker"]
    worker_call("POST /swarm/leave", 200, timeout=60)
    assert worker_call("GET /info", 200)["Swarm"]["LocalNodeState"] == "inactive"
    until(
        lambda: call("GET /nodes/{id}", 200, id=cluster.worker_node)["Status"]["State"],
        60,
        "the node that left is down",
        accept=lambda state: state == "down",
    )
    call("DELETE /nodes/{id}", 200, id=cluster.worker_node)
    assert api.get(f"/nodes/{cluster.worker_node}").status_code == 404
    assert cluster.worker_node not in [n["ID"] for n in call("GET /nodes", 200)]

    worker_call(
        "POST /swarm/join",
        200,
        json={
            "ListenAddr": "0.0.0.0:2377",
            "AdvertiseAddr": cluster.worker_address,
            "RemoteAddrs": [f"{cluster.manager_address}:2377"],
            "JoinToken": token,
        },
        timeout=60,
    )
    joined = worker_call("GET /info", 200)["Swarm"]
    assert joined["LocalNodeState"] == "active" and joined["ControlAvailable"] is False
    cluster.worker_node = joined["NodeID"]
    until(
        lambda: call("GET /nodes/{id}", 200, id=joined["NodeID"])["Status"]["State"],
        60,
        "the worker joined again and ready",
        accept=lambda state: state == "ready",
    )
    assert call("GET /nodes/{id}", 200, id=joined["NodeID"])["Spec"]["Role"] == "worker"


def test_manager_leaves_with_force_and_inits_again(api, call, swarm_manager):
    """A manager's POST /swarm/leave is refused without force (503) and done with it; POST /swarm/init again."""
    assert call("POST /swarm/leave", 503, timeout=60)["message"]
    call("POST /swarm/leave", 200, params={"force": "true"}, timeout=60)
    assert call("GET /info", 200)["Swarm"]["LocalNodeState"] == "inactive"
    assert api.get("/swarm").status_code == 503

    node = call(
        "POST /swarm/init",
        200,
        json={"ListenAddr": "0.0.0.0:2377", "AdvertiseAddr": swarm_manager.manager_address},
        timeout=60,
    )
    assert call("GET /info", 200)["Swarm"]["NodeID"] == node
    assert [n["ID"] for n in call("GET /nodes", 200)] == [node]


def test_secret_create_list_inspect_delete(api, swarm_manager, made, call):
    """POST /secrets/create 201; listed; inspect never returns the data; DELETE 204, then 404."""
    name = made.name("secret")
    secret = made.secret(b"s3cr3t value", name)

    assert name in [s["Spec"]["Name"] for s in call("GET /secrets", 200)]
    inspected = call("GET /secrets/{id}", 200, id=secret)
    assert inspected["Spec"]["Name"] == name and inspected["Spec"]["Labels"] == made.labels
    assert "Data" not in inspected["Spec"], "secret data must never be returned"
    assert base64.b64encode(b"s3cr3t value").decode() not in api.get("/secrets").text

    call("DELETE /secrets/{id}", 204, id=secret)
    assert api.get(f"/secrets/{secret}").status_code == 404


def test_secret_update_labels_only(swarm_manager, made, call):
    """POST /secrets/{id}/update changes the labels; a change of the data is refused (400)."""
    name = made.name("secret")
    secret = made.secret(b"s3cr3t value", name)
    inspected = call("GET /secrets/{id}", 200, id=secret)
    labels = {**made.labels, "conformance.updated": "yes"}
    spec = {"Name": name, "Labels": labels, "Data": base64.b64encode(b"s3cr3t value").decode()}
    call("POST /secrets/{id}/update", 200, id=secret, params={"version": inspected["Version"]["Index"]}, json=spec)
    updated = call("GET /secrets/{id}", 200, id=secret)
    assert updated["Spec"]["Labels"] == labels
    assert updated["Version"]["Index"] > inspected["Version"]["Index"]

    changed = {**spec, "Data": base64.b64encode(b"another value").decode()}
    refused = call(
        "POST /secrets/{id}/update", 400, id=secret, params={"version": updated["Version"]["Index"]}, json=changed
    )
    assert "only updates to Labels are allowed" in refused["message"]


def test_config_data_round_trips(api, swarm_manager, made, call):
    """POST /configs/create 201; inspect returns the data as sent; DELETE 204, then 404."""
    name = made.name("config")
    config = made.config(b"key = value\n", name)

    assert [c["ID"] for c in call("GET /configs", 200, params={"filters": json.dumps({"name": [name]})})] == [config]
    assert base64.b64decode(call("GET /configs/{id}", 200, id=config)["Spec"]["Data"]) == b"key = value\n"

    call("DELETE /configs/{id}", 204, id=config)
    assert api.get(f"/configs/{config}").status_code == 404


def test_config_update_labels_only(swarm_manager, made, call):
    """POST /configs/{id}/update changes the labels; a change of the data is refused (400)."""
    name = made.name("config")
    config = made.config(b"key = value\n", name)
    inspected = call("GET /configs/{id}", 200, id=config)
    labels = {**made.labels, "conformance.updated": "yes"}
    spec = {**inspected["Spec"], "Labels": labels}
    call("POST /configs/{id}/update", 200, id=config, params={"version": inspected["Version"]["Index"]}, json=spec)
    updated = call("GET /configs/{id}", 200, id=config)
    assert updated["Spec"]["Labels"] == labels
    assert base64.b64decode(updated["Spec"]["Data"]) == b"key = value\n"

    changed = {**spec, "Data": base64.b64encode(b"key = other\n").decode()}
    refused = call(
        "POST /configs/{id}/update", 400, id=config, params={"version": updated["Version"]["Index"]}, json=changed
    )
    assert "only updates to Labels are allowed" in refused["message"]


def test_duplicate_secret_name_is_409(swarm_manager, made, call):
    """POST /secrets/create with a name in use: 409 with a message."""
    name = made.name("secret")
    made.secret(b"one", name)
    second = made.labelled({"Name": name, "Data": base64.b64encode(b"one").decode()})
    assert call("POST /secrets/create", 409, json=second)["message"]
