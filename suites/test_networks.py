"""Networks: create, connect and disconnect seen in the container's inspect, delete."""

import json

import pytest

from fixtures.scenario.objects import demux

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


def _filters(**filters) -> dict:
    return {"filters": json.dumps(filters)}


def test_prune_by_label_removes_only_those(api, made, call):
    """POST /networks/prune with a label filter removes the unused networks of that label, nothing else."""
    doomed = made.network(Labels={"conformance.prune": made.name("p")})
    kept = made.network()
    inspected = call("GET /networks/{id}", 200, id=doomed)
    doomed_name, label = inspected["Name"], f"conformance.prune={inspected['Labels']['conformance.prune']}"

    pruned = call("POST /networks/prune", 200, params={"filters": json.dumps({"label": [label]})})
    assert doomed_name in pruned["NetworksDeleted"]
    assert api.get(f"/networks/{doomed}").status_code == 404
    call("GET /networks/{id}", 200, id=kept)
    call("GET /networks/{id}", 200, id="bridge")


def test_create_with_ipam_internal_labels_options(made, call):
    """POST /networks/create with IPAM subnet, gateway and ip-range, Internal, labels and options: all in inspect."""
    network = made.network(
        Internal=True,
        IPAM={
            "Driver": "default",
            "Config": [{"Subnet": "10.229.0.0/16", "Gateway": "10.229.0.1", "IPRange": "10.229.5.0/24"}],
        },
        Options={"com.docker.network.bridge.name": "conform0"},
        Labels={"conformance.ipam": "yes"},
    )
    inspected = call("GET /networks/{id}", 200, id=network)
    assert inspected["IPAM"]["Config"] == [
        {"Subnet": "10.229.0.0/16", "Gateway": "10.229.0.1", "IPRange": "10.229.5.0/24"}
    ]
    assert inspected["Internal"] is True
    assert inspected["Labels"]["conformance.ipam"] == "yes"
    assert inspected["Options"]["com.docker.network.bridge.name"] == "conform0"


def test_connect_with_alias_and_address(api, made, call):
    """connect with Aliases and a fixed IPv4Address: in the container's inspect; another resolves the alias."""
    network = made.network(IPAM={"Config": [{"Subnet": "10.230.0.0/16", "Gateway": "10.230.0.1"}]})
    name = call("GET /networks/{id}", 200, id=network)["Name"]
    server = made.running()
    call(
        "POST /networks/{id}/connect",
        200,
        id=network,
        json={
            "Container": server,
            "EndpointConfig": {"Aliases": ["conformance-alias"], "IPAMConfig": {"IPv4Address": "10.230.7.7"}},
        },
    )
    endpoint = made.inspect(server)["NetworkSettings"]["Networks"][name]
    assert endpoint["IPAddress"] == "10.230.7.7"
    assert "conformance-alias" in endpoint["Aliases"]

    client = made.container(["nslookup", "conformance-alias"], HostConfig={"NetworkMode": name})
    call("POST /containers/{id}/start", 204, id=client)
    waited = call("POST /containers/{id}/wait", 200, id=client, timeout=30)
    logs = demux(api.get(f"/containers/{client}/logs", params={"stdout": 1, "stderr": 1}).content)
    assert waited["StatusCode"] == 0, logs
    assert "10.230.7.7" in logs[0]


def test_forced_disconnect(made, call):
    """POST /networks/{id}/disconnect with Force: the running container leaves the network."""
    network = made.network()
    name = call("GET /networks/{id}", 200, id=network)["Name"]
    container = made.running()
    call("POST /networks/{id}/connect", 200, id=network, json={"Container": container})
    assert name in made.inspect(container)["NetworkSettings"]["Networks"]
    call("POST /networks/{id}/disconnect", 200, id=network, json={"Container": container, "Force": True})
    assert name not in made.inspect(container)["NetworkSettings"]["Networks"]
    assert container not in (call("GET /networks/{id}", 200, id=network).get("Containers") or {})


def test_list_filters(api, made, call):
    """GET /networks filters: driver, label, name, type; a malformed filter is 400."""
    name = made.name("net")
    network = made.network(name, Labels={"conformance.listed": name})
    label = f"conformance.listed={name}"
    assert [n["Id"] for n in call("GET /networks", 200, params=_filters(label=[label]))] == [network]
    assert [n["Id"] for n in call("GET /networks", 200, params=_filters(name=[name]))] == [network]
    assert network in [n["Id"] for n in call("GET /networks", 200, params=_filters(driver=["bridge"], label=[label]))]
    assert call("GET /networks", 200, params=_filters(driver=["null"], label=[label])) == []
    custom = [n["Name"] for n in call("GET /networks", 200, params=_filters(type=["custom"]))]
    assert name in custom
    assert "bridge" not in custom
    assert "bridge" in [n["Name"] for n in call("GET /networks", 200, params=_filters(type=["builtin"]))]

    assert call("GET /networks", 400, params={"filters": "{not json"})["message"]


def test_overlapping_subnet_is_refused(made, call):
    """POST /networks/create with a subnet that overlaps another network's is refused; nothing is created."""
    made.network(IPAM={"Config": [{"Subnet": "10.231.0.0/16"}]})
    name = made.name("net")
    overlapping = made.labelled({"Name": name, "IPAM": {"Config": [{"Subnet": "10.231.128.0/24"}]}})
    assert call("POST /networks/create", 403, json=overlapping)["message"]
    assert call("GET /networks", 200, params=_filters(name=[name])) == []
