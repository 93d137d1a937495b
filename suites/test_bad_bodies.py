"""Bad request bodies, one table: each is a 400 with an error body, and the engine is left as it was."""

import json
from collections.abc import Callable

import pytest

from fixtures.scenario.objects import skip_unless_served
from fixtures.scenario.plugin import registry_of

pytestmark = pytest.mark.system

WRONG_TYPE, EMPTY, GARBAGE, TRUNCATED = "wrong content type", "empty body", "trailing garbage", "truncated JSON"


def bad_body(kind: str, valid: str) -> tuple[str, str]:
    """The Content-Type and the bytes of a bad KIND of the VALID JSON body."""
    return {
        WRONG_TYPE: ("text/plain", valid),
        EMPTY: ("application/json", ""),
        GARBAGE: ("application/json", valid + " garbage"),
        TRUNCATED: ("application/json", valid[: len(valid) // 2]),
    }[kind]


# Each target: (path values, a valid body, what changed if the bad one was taken: a line, or "" for nothing).
Target = tuple[dict, dict, Callable[[], str]]


def _container_create(api, made, engine) -> Target:
    body = made.labelled({"Image": "alpine", "Labels": {"conformance.test": made.name("bad")}})
    only_ours = json.dumps({"label": [f"{key}={value}" for key, value in body["Labels"].items()]})

    def created() -> str:
        found = [c["Id"] for c in api.get("/containers/json", params={"all": 1, "filters": only_ours}).json()]
        made.containers.extend(found)
        return f"containers created: {found}" if found else ""

    return {}, body, created


def _container_update(api, made, engine) -> Target:
    container = made.container(["true"])

    def updated() -> str:
        memory = made.inspect(container)["HostConfig"]["Memory"]
        return f"HostConfig.Memory is {memory}" if memory else ""

    return {"id": container}, {"Memory": 67108864}, updated


def _exec_create(api, made, engine) -> Target:
    container = made.running()

    def made_exec() -> str:
        execs = made.inspect(container)["ExecIDs"]
        return f"execs made: {execs}" if execs else ""

    return {"id": container}, {"Cmd": ["true"]}, made_exec


def _exec_start(api, made, engine) -> Target:
    container = made.running()
    body = {"Cmd": ["true"], "AttachStdout": True, "AttachStderr": True}
    exec_id = made.call("POST /containers/{id}/exec", 201, id=container, json=body)["Id"]

    def started() -> str:
        inspected = made.call("GET /exec/{id}/json", 200, id=exec_id)
        ran = (inspected["Running"], inspected["Pid"]) != (False, 0)
        return f"exec started (Pid {inspected['Pid']})" if ran else ""

    return {"id": exec_id}, {"Detach": True}, started


def _names(api, kind: str) -> set[str]:
    if kind == "volumes":
        return {v["Name"] for v in api.get("/volumes").json()["Volumes"] or []}
    return {n["Name"] for n in api.get("/networks").json()}


def _created(api, made, kind: str) -> Callable[[], str]:
    """What of KIND (networks, volumes) appears from now on: registered for removal, and named."""
    before = _names(api, kind)

    def created() -> str:
        new = sorted(_names(api, kind) - before)
        getattr(made, kind).extend(new)
        return f"{kind} created: {new}" if new else ""

    return created


def _network_create(api, made, engine) -> Target:
    return {}, made.labelled({"Name": made.name("net")}), _created(api, made, "networks")


def _volume_create(api, made, engine) -> Target:
    return {}, made.labelled({"Name": made.name("vol")}), _created(api, made, "volumes")


def _network_connect(api, made, engine) -> Target:
    network = made.network()
    name = made.call("GET /networks/{id}", 200, id=network)["Name"]
    container = made.container(["true"])

    def connected() -> str:
        networks = made.inspect(container)["NetworkSettings"]["Networks"]
        return f"the container is on {name}" if name in networks else ""

    return {"id": network}, {"Container": container}, connected


def _auth(api, made, engine) -> Target:
    # a registry the engine reaches (else Disabled): what a taken body does then is a login, not a network error
    return {}, {"serveraddress": registry_of(engine)}, lambda: ""  # a login changes nothing the API shows


TARGETS = {  # operation: (its valid body and what a taken bad one changed, the bad kinds it is sent)
    "POST /containers/create": (_container_create, (WRONG_TYPE, EMPTY, GARBAGE, TRUNCATED)),
    "POST /containers/{id}/update": (_container_update, (WRONG_TYPE, EMPTY, GARBAGE)),
    "POST /containers/{id}/exec": (_exec_create, (WRONG_TYPE, EMPTY, GARBAGE)),
    "POST /exec/{id}/start": (_exec_start, (WRONG_TYPE, GARBAGE)),  # its body is optional: no empty case
    "POST /networks/create": (_network_create, (WRONG_TYPE, EMPTY, GARBAGE)),
    "POST /volumes/create": (_volume_create, (WRONG_TYPE, EMPTY, GARBAGE)),
    "POST /networks/{id}/connect": (_network_connect, (WRONG_TYPE, EMPTY, GARBAGE)),
    "POST /auth": (_auth, (WRONG_TYPE, EMPTY, GARBAGE)),
}
CASES = [f"{operation}: {kind}" for operation, (_, kinds) in TARGETS.items() for kind in kinds]


@pytest.mark.parametrize("case", CASES)
def test_bad_body(case, api, made, engine, check):
    """OPERATION: KIND of body is refused with a 400 and an ErrorResponse, and changes nothing."""
    operation, kind = case.split(": ", 1)
    target, _ = TARGETS[operation]
    values, valid, changed = target(api, made, engine)
    content_type, body = bad_body(kind, json.dumps(valid))
    method, template = operation.split(" ", 1)
    response = api.request(
        method, template.format(**values), data=body.encode(), headers={"Content-Type": content_type}, timeout=30
    )
    skip_unless_served(response, engine, operation)
    try:
        assert check(response, 400, operation)["message"]
    finally:
        what_changed = changed()  # also after a wrong answer: what it made is registered for removal
    assert what_changed == ""
