"""Bad request bodies: a wrong Content-Type, an empty body and trailing garbage are 400 and create nothing."""

import json

import pytest

pytestmark = pytest.mark.system


def _bad_bodies(valid: str) -> dict[str, tuple[str, str]]:
    """Each bad case of a VALID JSON body: its Content-Type and its bytes."""
    return {
        "wrong content type": ("text/plain", valid),
        "empty body": ("application/json", ""),
        "trailing garbage": ("application/json", valid + " garbage"),
    }


def _refused(api, path: str, valid: str) -> dict[str, str]:
    """The bad cases of VALID posted to PATH that were not a 400 with a JSON message."""
    wrong = {}
    for case, (content_type, body) in _bad_bodies(valid).items():
        response = api.post(path, data=body.encode(), headers={"Content-Type": content_type}, timeout=30)
        is_json = "json" in response.headers.get("Content-Type", "")
        if response.status_code != 400 or not is_json or not response.json().get("message"):
            wrong[case] = f"{response.status_code} {response.text[:200]}"
    return wrong


def _names(api, kind: str) -> set[str]:
    """The names of every network or volume of the engine."""
    if kind == "volumes":
        return {v["Name"] for v in api.get("/volumes").json()["Volumes"] or []}
    return {n["Name"] for n in api.get("/networks").json()}


def _made_meanwhile(api, made, kind: str, before: set[str]) -> list[str]:
    """What appeared since BEFORE: registered for removal, and returned."""
    new = sorted(_names(api, kind) - before)
    getattr(made, kind).extend(new)
    return new


def test_bad_body_on_network_create(api, made):
    """POST /networks/create with a wrong Content-Type, an empty body or trailing garbage: 400, nothing created."""
    before = _names(api, "networks")
    wrong = _refused(api, "/networks/create", json.dumps(made.labelled({"Name": made.name("net")})))
    assert _made_meanwhile(api, made, "networks", before) == [], "nothing was created"
    assert wrong == {}


def test_bad_body_on_volume_create(api, made):
    """POST /volumes/create with a wrong Content-Type, an empty body or trailing garbage: 400, nothing created."""
    before = _names(api, "volumes")
    wrong = _refused(api, "/volumes/create", json.dumps(made.labelled({"Name": made.name("vol")})))
    assert _made_meanwhile(api, made, "volumes", before) == [], "nothing was created"
    assert wrong == {}


def test_bad_body_on_network_connect(api, made):
    """POST /networks/{id}/connect with a bad body: 400; the container stays off the network."""
    network = made.network()
    name = api.get(f"/networks/{network}").json()["Name"]
    container = made.container(["true"])
    wrong = _refused(api, f"/networks/{network}/connect", json.dumps({"Container": container}))
    assert name not in api.get(f"/containers/{container}/json").json()["NetworkSettings"]["Networks"]
    assert wrong == {}


def test_bad_body_on_auth(api, engine):
    """POST /auth with a wrong Content-Type, an empty body or trailing garbage: 400 with a JSON message."""
    server = (engine.registry or "http://registry:5000").removeprefix("http://")
    assert _refused(api, "/auth", json.dumps({"serveraddress": server})) == {}
