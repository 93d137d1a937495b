"""Values that must agree across operations: what one endpoint says of an object, another says the same."""

import json

import pytest

from fixtures.scenario import agreements
from fixtures.scenario.objects import STOPS_ON_TERM, WORKLOAD

SERVICE_SPEC = {  # a service as a client sends it: every value must come back in the inspected Spec
    "Mode": {"Replicated": {"Replicas": 1}},
    "TaskTemplate": {"RestartPolicy": {"Condition": "none"}, "Placement": {"MaxReplicas": 1}},
    "UpdateConfig": {"Parallelism": 1, "Order": "stop-first"},
}


def _listed(call, container: str) -> dict:
    listed = call("GET /containers/json", 200, params={"all": 1, "filters": json.dumps({"id": [container]})})
    assert [c["Id"] for c in listed] == [container], "the id filter lists exactly the container"
    return listed[0]


@pytest.mark.containers
def test_a_containers_id_is_one_across_create_list_and_inspect(made, call):
    """The ID create returns is the one list and inspect return, also inspected by its short ID."""
    container = made.container(["true"])
    listed = call("GET /containers/json", 200, params={"all": 1})
    inspected = made.inspect(container)
    short = call("GET /containers/{id}/json", 200, id=container[:12])
    assert not agreements.container_identity(container, listed, inspected, short)


@pytest.mark.containers
@pytest.mark.parametrize("started", [False, True], ids=["created", "running"])
def test_a_containers_list_entry_agrees_with_its_inspect(made, call, started):
    """GET /containers/json's Names, State, ImageID and Labels are inspect's Name, State.Status, Image, Labels."""
    container = made.running() if started else made.container(["true"], name=made.name("agree"))
    assert not agreements.container_list_and_inspect(_listed(call, container), made.inspect(container))


@pytest.mark.containers
def test_wait_reports_the_exit_code_inspect_reports(made, call):
    """POST /containers/{id}/wait's StatusCode is inspect's State.ExitCode."""
    container = made.container(["sh", "-c", "exit 7"])
    call("POST /containers/{id}/start", 204, id=container)
    waited = call("POST /containers/{id}/wait", 200, id=container, timeout=30)
    assert waited["StatusCode"] == 7
    assert not agreements.wait_and_inspect(waited, made.inspect(container))


@pytest.mark.networks
def test_a_networks_list_entry_agrees_with_its_inspect(made, call):
    """GET /networks's Id, Name, Driver and Scope are those of GET /networks/{id}."""
    network = made.network()
    listed = call("GET /networks", 200, params={"filters": json.dumps({"id": [network]})})
    assert [n["Id"] for n in listed] == [network], "the id filter lists exactly the network"
    assert not agreements.network_list_and_inspect(listed[0], call("GET /networks/{id}", 200, id=network))


@pytest.mark.networks
def test_a_network_and_its_container_name_the_same_endpoint(made, call):
    """A running container on a network: the network's Containers and the container's Networks agree."""
    name = made.name("net")
    network = made.network(name)
    container = made.running(HostConfig={"NetworkMode": name})
    inspected = call("GET /networks/{id}", 200, id=network)
    assert not agreements.network_membership(inspected, made.inspect(container))


@pytest.mark.images
def test_an_image_keeps_its_id_and_layers_through_save_and_load(api, made, call):
    """GET /images/{name}/get, DELETE, POST /images/load: the same Id and RootFS layers come back."""
    image = made.image('FROM alpine\nRUN echo kept > /kept\nLABEL purpose="save and load"\n')
    before = call("GET /images/{name}/json", 200, name=image)
    saved = call("GET /images/{name}/get", 200, name=image, timeout=60)
    call("DELETE /images/{name}", 200, name=image)
    loaded = api.post(
        "/images/load", data=saved, params={"quiet": 1}, headers={"Content-Type": "application/x-tar"}, timeout=60
    )
    assert loaded.status_code == 200, loaded.text[:300]
    assert not agreements.image_survives_save_and_load(before, call("GET /images/{name}/json", 200, name=image))


@pytest.mark.swarm
def test_a_service_spec_is_inspected_as_sent(swarm, made, call):  # swarm first: it leaves after made cleans up
    """GET /services/{id}'s Spec holds every value POST /services/create sent, labels and the container included."""
    name = made.name("service")
    service = made.service(name=name, **json.loads(json.dumps(SERVICE_SPEC)))  # a copy: service() pops from it
    container = {"Image": WORKLOAD, "Command": list(STOPS_ON_TERM)}
    task = {**SERVICE_SPEC["TaskTemplate"], "ContainerSpec": container}
    sent = {**SERVICE_SPEC, "Name": name, "Labels": made.labels, "TaskTemplate": task}
    assert not agreements.spec_as_sent(sent, call("GET /services/{id}", 200, id=service)["Spec"])
