"""Each value agreement passes on answers that agree and names the disagreement on answers that do not."""

import copy

import pytest

from fixtures.scenario import agreements

CID = "4f1d" + "0" * 60
INSPECTED = {
    "Id": CID,
    "Name": "/web",
    "Image": "sha256:aa",
    "State": {"Status": "exited", "ExitCode": 7},
    "Config": {"Labels": {"run": "1"}},
    "NetworkSettings": {
        "Networks": {
            "front": {
                "NetworkID": "n1",
                "EndpointID": "e1",
                "MacAddress": "02:42:ac:11:00:02",
                "IPAddress": "172.18.0.2",
                "IPPrefixLen": 16,
            }
        }
    },
}
LISTED = {"Id": CID, "Names": ["/web"], "State": "exited", "ImageID": "sha256:aa", "Labels": {"run": "1"}}
NETWORK = {
    "Id": "n1",
    "Name": "front",
    "Driver": "bridge",
    "Scope": "local",
    "Containers": {CID: {"EndpointID": "e1", "MacAddress": "02:42:ac:11:00:02", "IPv4Address": "172.18.0.2/16"}},
}
IMAGE = {"Id": "sha256:bb", "RootFS": {"Type": "layers", "Layers": ["sha256:l1", "sha256:l2"]}}
INFO = {"Containers": 2, "ContainersRunning": 1, "ContainersPaused": 0, "ContainersStopped": 1, "Images": 1}
CONTAINERS = [{"State": "running"}, {"State": "exited"}]


def changed(answer: dict, path: str, value) -> dict:
    """A deep copy of ANSWER with the value at the dotted PATH replaced."""
    copied = copy.deepcopy(answer)
    *parents, last = path.split(".")
    node = copied
    for key in parents:
        node = node[key]
    node[last] = value
    return copied


CASES = {  # agreement: (its arguments on agreeing answers, the index of the answer to break, path, broken value)
    "container_identity": ((CID, [LISTED], INSPECTED, INSPECTED), 2, "Id", "sha256:other"),
    "container_identity/short": ((CID, [LISTED], INSPECTED, INSPECTED), 3, "Id", "other"),
    "container_list_and_inspect/name": ((LISTED, INSPECTED), 1, "Name", "web"),
    "container_list_and_inspect/state": ((LISTED, INSPECTED), 0, "State", "running"),
    "container_list_and_inspect/labels": ((LISTED, INSPECTED), 0, "Labels", None),
    "network_list_and_inspect": ((NETWORK, NETWORK), 0, "Driver", "host"),
    "wait_and_inspect": (({"StatusCode": 7}, INSPECTED), 0, "StatusCode", 0),
    "network_membership/endpoint": ((NETWORK, INSPECTED), 1, "NetworkSettings.Networks.front.EndpointID", "e2"),
    "network_membership/address": ((NETWORK, INSPECTED), 1, "NetworkSettings.Networks.front.IPPrefixLen", 24),
    "network_membership/absent": ((NETWORK, INSPECTED), 0, "Containers", {}),
    "image_survives_save_and_load": ((IMAGE, IMAGE), 1, "RootFS.Layers", ["sha256:l1"]),
    "info_counters": ((INFO, CONTAINERS, [IMAGE]), 0, "ContainersRunning", 2),
}


@pytest.mark.parametrize("case", CASES)
def test_an_agreement_holds_and_a_broken_one_is_named(case):
    arguments, broken_index, path, value = CASES[case]
    agreement = getattr(agreements, case.split("/")[0])
    assert agreement(*arguments) == []
    broken = list(arguments)
    broken[broken_index] = changed(arguments[broken_index], path, value)
    disagreements = agreement(*broken)
    assert len(disagreements) == 1, disagreements
    assert repr(value) in disagreements[0] or "lacks" in disagreements[0]


def test_a_listed_id_that_is_not_the_created_one_is_named():
    assert agreements.container_identity("other", [LISTED], INSPECTED, INSPECTED)[0].startswith("created 'other'")


@pytest.mark.parametrize(
    ("inspected", "disagrees"),
    [
        ({"Name": "s", "Labels": {"a": "1", "added": "by engine"}, "Mode": {"Replicated": {"Replicas": 1}}}, False),
        ({"Name": "s", "Labels": {}, "Mode": {"Replicated": {"Replicas": 1}}}, True),
        ({"Name": "s", "Labels": {"a": "1"}, "Mode": {"Replicated": {"Replicas": 2}}}, True),
        ({"Name": "s", "Labels": {"a": "1"}}, True),
    ],
    ids=["defaults-added", "label-dropped", "value-changed", "field-dropped"],
)
def test_a_spec_is_inspected_as_sent_defaults_aside(inspected, disagrees):
    sent = {"Name": "s", "Labels": {"a": "1"}, "Mode": {"Replicated": {"Replicas": 1}}}
    assert bool(agreements.spec_as_sent(sent, inspected)) is disagrees
