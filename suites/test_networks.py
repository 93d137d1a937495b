"""Networks: create, connect and disconnect seen in the container's inspect, delete."""

import pytest

pytestmark = pytest.mark.networks


def test_create_connect_disconnect_delete(api, made, call):
    name = made.name("net")
    network = made.network(name)
    assert name in [n["Name"] for n in call("GET /networks", 200)]
    inspected = call("GET /networks/{id}", 200, id=network)
    assert (inspected["Name"], inspected["Driver"], inspected["Labels"]) == (name, "bridge", made.labels)

    container = made.container(["sleep", "300"])
    call("POST /networks/{id}/connect", 200, id=network, json={"Container": container})
    assert name in made.inspect(container)["NetworkSettings"]["Networks"]

    call("POST /networks/{id}/disconnect", 200, id=network, json={"Container": container})
    assert name not in made.inspect(container)["NetworkSettings"]["Networks"]

    call("DELETE /networks/{id}", 204, id=network)
    assert api.get(f"/networks/{network}").status_code == 404


def test_duplicate_network_name_is_a_conflict(api, made):
    """POST /networks/create with CheckDuplicate: a second network of one name is 409."""
    name = made.name("net")
    made.network(name)
    second = api.post("/networks/create", json=made.labelled({"Name": name, "CheckDuplicate": True}))
    assert second.status_code == 409


def test_unknown_network_is_404(api, made):
    assert api.get("/networks/no-such-network").status_code == 404
    assert api.delete("/networks/no-such-network").status_code == 404
