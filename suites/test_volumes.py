"""Volumes: create, list, delete."""
import pytest

pytestmark = pytest.mark.volumes


def test_create_list_delete(api, made, check):
    name = made.name("vol")
    created = check(api.post("/volumes/create", json=made.labelled({"Name": name})), 201, "POST /volumes/create")
    made.volumes.append(name)
    assert (created["Name"], created["Driver"]) == (name, "local")
    assert created["Labels"] == made.labels

    listed = check(api.get("/volumes"), 200, "GET /volumes")
    assert name in [v["Name"] for v in listed["Volumes"]]
    check(api.get(f"/volumes/{name}"), 200, "GET /volumes/{name}")

    assert api.delete(f"/volumes/{name}").status_code == 204
    assert api.get(f"/volumes/{name}").status_code == 404
    assert name not in [v["Name"] for v in api.get("/volumes").json()["Volumes"] or []]


def test_volume_in_use_cannot_be_removed(api, made):
    name = made.name("vol")
    assert api.post("/volumes/create", json=made.labelled({"Name": name})).status_code == 201
    made.volumes.append(name)
    made.container(["true"], HostConfig={"Binds": [f"{name}:/data"]})
    assert api.delete(f"/volumes/{name}").status_code == 409
    assert api.get(f"/volumes/{name}").status_code == 200
