"""Volumes: create, list, delete."""

import pytest

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
