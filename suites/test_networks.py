"""Networks: create, connect and disconnect seen in the container's inspect, delete."""
import pytest

pytestmark = pytest.mark.networks


def test_create_connect_disconnect_delete(api, made, check):
    name = made.name("net")
    created = check(api.post("/networks/create", json=made.labelled({"Name": name, "Driver": "bridge"})),
                    201, "POST /networks/create")
    network = created["Id"]
    made.networks.append(network)
    assert name in [n["Name"] for n in check(api.get("/networks"), 200, "GET /networks")]
    inspected = check(api.get(f"/networks/{network}"), 200, "GET /networks/{id}")
    assert (inspected["Name"], inspected["Driver"], inspected["Labels"]) == (name, "bridge", made.labels)

    container = made.container(["sleep", "300"])
    assert api.post(f"/networks/{network}/connect", json={"Container": container}).status_code == 200
    assert name in made.inspect(container)["NetworkSettings"]["Networks"]

    assert api.post(f"/networks/{network}/disconnect", json={"Container": container}).status_code == 200
    assert name not in made.inspect(container)["NetworkSettings"]["Networks"]

    assert api.delete(f"/networks/{network}").status_code == 204
    assert api.get(f"/networks/{network}").status_code == 404


def test_duplicate_network_name_is_a_conflict(api, made):
    """POST /networks/create with CheckDuplicate: a second network of one name is 409."""
    name = made.name("net")
    first = api.post("/networks/create", json=made.labelled({"Name": name}))
    assert first.status_code == 201
    made.networks.append(first.json()["Id"])
    second = api.post("/networks/create", json=made.labelled({"Name": name, "CheckDuplicate": True}))
    assert second.status_code == 409


def test_unknown_network_is_404(api, made):
    assert api.get("/networks/no-such-network").status_code == 404
    assert api.delete("/networks/no-such-network").status_code == 404
