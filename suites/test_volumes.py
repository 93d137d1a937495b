"""Volumes: create, list, delete."""

import json

import pytest
from packaging.version import Version

from fixtures.scenario.objects import demux

pytestmark = pytest.mark.volumes


def test_create_list_delete(api, made, call):
    name = made.volume()
    inspected = call("GET /volumes/{name}", 200, name=name)
    assert (inspected["Name"], inspected["Driver"], inspected["Labels"]) == (name, "local", made.labels)
    assert name in [v["Name"] for v in call("GET /volumes", 200)["Volumes"]]

    call("DELETE /volumes/{name}", 204, name=name)
    assert api.get(f"/volumes/{name}").status_code == 404
    assert name not in [v["Name"] for v in api.get("/volumes").json()["Volumes"] or []]


def test_volume_in_use_cannot_be_removed(api, made):
    name = made.volume()
    made.container(["true"], HostConfig={"Binds": [f"{name}:/data"]})
    assert api.delete(f"/volumes/{name}").status_code == 409
    assert api.get(f"/volumes/{name}").status_code == 200


def _filters(**filters) -> dict:
    return {"filters": json.dumps(filters)}


def test_prune_by_label(api, made, call, engine):
    """POST /volumes/prune with a label filter removes the unused volume of that label, not the used one
    (named volumes with all=true from API 1.42)."""
    label = made.name("prune")
    unused = made.volume(Labels={"conformance.prune": label})
    used = made.volume(Labels={"conformance.prune": label})
    made.container(["true"], HostConfig={"Binds": [f"{used}:/data"]})
    named_too = {"all": ["true"]} if Version(api.api_version or engine.api_version) >= Version("1.42") else {}
    pruned = call("POST /volumes/prune", 200, params=_filters(label=[f"conformance.prune={label}"], **named_too))
    assert pruned["VolumesDeleted"] == [unused]
    assert api.get(f"/volumes/{unused}").status_code == 404
    call("GET /volumes/{name}", 200, name=used)


@pytest.mark.requires_api("1.42")
def test_prune_keeps_named_volumes_without_all(api, made, call):
    """From API 1.42, POST /volumes/prune removes only anonymous volumes unless all=true."""
    label = made.name("prune")
    named = made.volume(Labels={"conformance.prune": label})
    kept = call("POST /volumes/prune", 200, params=_filters(label=[f"conformance.prune={label}"]))
    assert named not in (kept["VolumesDeleted"] or [])
    call("GET /volumes/{name}", 200, name=named)
    pruned = call("POST /volumes/prune", 200, params=_filters(label=[f"conformance.prune={label}"], all=["true"]))
    assert pruned["VolumesDeleted"] == [named]


def test_list_filters(api, made, call):
    """GET /volumes filters: dangling, driver, label, name; a malformed filter is 400."""
    label = f"conformance.listed={made.name('l')}"
    free = made.volume(Labels={"conformance.listed": label.split("=", 1)[1]})
    used = made.volume(Labels={"conformance.listed": label.split("=", 1)[1]})
    made.container(["true"], HostConfig={"Binds": [f"{used}:/data"]})

    def names(**filters):
        return sorted(v["Name"] for v in call("GET /volumes", 200, params=_filters(**filters))["Volumes"] or [])

    assert names(label=[label]) == sorted([free, used])
    assert names(label=[label], dangling=["true"]) == [free]
    assert names(label=[label], dangling=["false"]) == [used]
    assert names(label=[label], driver=["local"]) == sorted([free, used])
    assert names(name=[free]) == [free]

    assert call("GET /volumes", 400, params={"filters": "{not json"})["message"]


def test_data_survives_its_container(api, made, call):
    """A file written to a volume by one container is read by the next, after the first is removed."""
    volume = made.volume()
    writer = made.container(["sh", "-c", "echo kept > /data/file"], HostConfig={"Binds": [f"{volume}:/data"]})
    call("POST /containers/{id}/start", 204, id=writer)
    assert call("POST /containers/{id}/wait", 200, id=writer, timeout=30)["StatusCode"] == 0
    call("DELETE /containers/{id}", 204, id=writer)

    reader = made.container(["cat", "/data/file"], HostConfig={"Binds": [f"{volume}:/data"]})
    call("POST /containers/{id}/start", 204, id=reader)
    assert call("POST /containers/{id}/wait", 200, id=reader, timeout=30)["StatusCode"] == 0
    assert demux(api.get(f"/containers/{reader}/logs", params={"stdout": 1}).content)[0] == "kept\n"


@pytest.mark.requires_api("1.42")
def test_update_outside_swarm(made, call):
    """PUT /volumes/{name} is for cluster volumes: outside swarm mode the engine refuses it (503)."""
    volume = made.volume()
    drained = {"Spec": {"Availability": "drain"}}
    assert call("PUT /volumes/{name}", 503, name=volume, params={"version": 1}, json=drained)["message"]
    call("GET /volumes/{name}", 200, name=volume)
