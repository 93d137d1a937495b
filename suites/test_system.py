"""System: /info, /version and the events stream of a scenario's own container."""

import json
import time

import pytest

from fixtures.scenario import agreements
from fixtures.scenario.objects import STOPS_ON_TERM
from fixtures.scenario.plugin import auth_registry_of, registry_of
from fixtures.scenario.streams import json_messages
from fixtures.wait import WaitTimeout, until

pytestmark = pytest.mark.system


def test_info(engine, call):
    info = call("GET /info", 200)
    assert info["ServerVersion"] == engine.version["Version"]
    assert info["OSType"] == "linux"
    assert isinstance(info["Containers"], int)


def test_version(engine, call):
    version = call("GET /version", 200)
    assert version["ApiVersion"] == engine.api_version
    assert {c["Name"] for c in version.get("Components") or []} >= {"Engine"}


def test_events_of_a_container_lifecycle(api, made):
    """GET /events with since, until and a container filter yields create, start, die, destroy."""
    since = f"{time.time() - 1:.0f}"  # the engine shares the host clock
    container = made.container(["true"])
    assert api.post(f"/containers/{container}/start").status_code == 204
    assert api.post(f"/containers/{container}/wait", timeout=30).status_code == 200
    assert api.delete(f"/containers/{container}").status_code == 204
    wanted = ["create", "start", "die", "destroy"]
    filters = json.dumps({"container": [container]})

    def actions():
        until_now = f"{time.time():.6f}"  # until makes the stream end: now, not later (a later one blocks till then)
        response = api.get("/events", params={"since": since, "until": until_now, "filters": filters}, timeout=30)
        assert response.status_code == 200
        events = json_messages(response)
        assert {e.get("id") for e in events} <= {container}, "the filter lets only our container through"
        return [e.get("Action") or e.get("status") for e in events]

    seen = until(
        actions,
        15,
        f"events {wanted} of {container[:12]}",
        interval=0.2,
        accept=lambda seen: all(action in seen for action in wanted),
    )
    assert [a for a in seen if a in wanted] == wanted, "in lifecycle order"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_ping_headers(api, engine, method):
    """HEAD and GET /_ping 200: API-Version, OSType, Docker-Experimental, Cache-Control and Pragma no-cache."""
    response = api.request(method, "/_ping")
    assert response.status_code == 200
    assert response.content == (b"OK" if method == "GET" else b"")
    headers = response.headers
    assert headers["API-Version"] == engine.api_version
    assert headers["OSType"] == "linux"
    assert headers["Docker-Experimental"] in ("true", "false")
    assert "no-cache" in headers["Cache-Control"]
    assert headers["Pragma"] == "no-cache"


def test_system_df_counts_the_runs_objects(api, made, call):
    """GET /system/df lists the run's image, container and volume with their sizes."""
    image = made.image("FROM alpine\nRUN echo sized > /sized\n")
    volume = made.volume()
    container = made.container(["true"], Image=image, HostConfig={"Binds": [f"{volume}:/data"]})

    df = call("GET /system/df", 200, timeout=60)
    ours = next(i for i in df["Images"] if image in (i.get("RepoTags") or []))
    assert ours["Size"] > 0
    assert ours["Containers"] == 1
    assert container in [c["Id"] for c in df["Containers"]]
    listed = next(v for v in df["Volumes"] if v["Name"] == volume)
    assert listed["UsageData"]["RefCount"] == 1
    assert df["LayersSize"] >= ours["Size"] - next(
        i["Size"] for i in df["Images"] if "alpine:latest" in (i.get("RepoTags") or [])
    )


@pytest.mark.requires_api("1.42")
def test_system_df_type_filter(made, call):
    """GET /system/df?type=volume: only the volumes are computed."""
    volume = made.volume()
    df = call("GET /system/df", 200, params={"type": "volume"}, timeout=60)
    assert volume in [v["Name"] for v in df["Volumes"]]
    assert not df.get("Images")
    assert not df.get("Containers")


def _events(api, since: str, filters: dict, wanted: list[str]) -> list[dict]:
    def seen():
        until_now = f"{time.time():.6f}"  # a window that ends now: answered at once
        response = api.get(
            "/events", params={"since": since, "until": until_now, "filters": json.dumps(filters)}, timeout=30
        )
        assert response.status_code == 200
        return json_messages(response)

    def actions(events: list[dict]) -> list[str]:
        return [e.get("Action") for e in events]

    try:
        return until(
            seen,
            15,
            f"events {wanted} for {filters}",
            interval=0.2,
            accept=lambda events: all(action in actions(events) for action in wanted),
            seen=actions,
        )
    except WaitTimeout as timeout:
        response = api.get("/events", params={"since": since, "until": f"{time.time():.0f}"}, timeout=30)
        pytest.fail(f"{timeout}; unfiltered: {json_messages(response)}")


def test_events_of_images(api, made, call):
    """GET /events type=image: tag and untag of the run's image; event and label filters narrow them."""
    since = f"{time.time() - 1:.0f}"
    image = call("GET /images/{name}/json", 200, name=made.image("FROM alpine\nRUN echo evented > /evented\n"))["Id"]
    tagged = made.tag(image, made.name("evented"), "v1")
    call("DELETE /images/{name}", 200, name=tagged)

    events = _events(api, since, {"type": ["image"], "image": [image]}, ["tag", "untag"])
    assert {e["Type"] for e in events} == {"image"}
    only_tags = _events(api, since, {"type": ["image"], "image": [image], "event": ["tag"]}, ["tag"])
    assert {e["Action"] for e in only_tags} == {"tag"}
    label = next(f"{k}={v}" for k, v in made.labels.items())
    labelled = _events(api, since, {"type": ["image"], "label": [label], "event": ["tag"]}, ["tag"])
    assert image in {e["Actor"]["ID"] for e in labelled}
    assert all(e["Actor"]["Attributes"].get(label.split("=")[0]) == label.split("=", 1)[1] for e in labelled)


def test_events_of_networks_and_volumes(api, made, call):
    """GET /events: network create/connect/destroy and volume create/destroy, by type and object."""
    since = f"{time.time() - 1:.0f}"
    network = made.network(Labels={"conformance.evented": "network"})
    # a created container's endpoints join when it starts; it stops on TERM: podman's forced removal stops with a
    # 10 s grace before it kills, which a sleep as PID 1 (deaf to TERM) waits out
    container = made.running(list(STOPS_ON_TERM))
    call("POST /networks/{id}/connect", 200, id=network, json={"Container": container})
    volume = made.volume()
    call("DELETE /volumes/{name}", 204, name=volume)
    call("DELETE /containers/{id}", 204, id=container, params={"force": 1})
    call("DELETE /networks/{id}", 204, id=network)

    networks = _events(api, since, {"type": ["network"], "network": [network]}, ["create", "connect", "destroy"])
    assert [e["Action"] for e in networks if e["Action"] in ("create", "connect", "destroy")][:2] == [
        "create",
        "connect",
    ]
    volumes = _events(api, since, {"type": ["volume"], "volume": [volume]}, ["create", "destroy"])
    assert {e["Actor"]["ID"] for e in volumes} == {volume}


def test_info_counts_agree_with_the_lists(made, call):
    """GET /info counts of containers and images agree with GET /containers/json and /images/json."""
    made.container(["true"])
    made.running()
    info = call("GET /info", 200)
    containers = call("GET /containers/json", 200, params={"all": 1})
    assert not agreements.info_counters(info, containers, call("GET /images/json", 200, params={"all": 1}))


def test_auth_to_the_runs_registry(api, engine, call):
    """POST /auth 200 with Status "Login Succeeded" for a registry that asks no credentials."""
    server = registry_of(engine)
    answer = call("POST /auth", 200, json={"username": "conformance", "password": "secret", "serveraddress": server})
    assert answer["Status"] == "Login Succeeded"


def _credentials(engine) -> dict:
    registry = auth_registry_of(engine)
    return {"username": registry.username, "password": registry.password, "serveraddress": registry.address}


def test_auth_with_good_credentials(engine, call):
    """POST /auth to the run's htpasswd registry with its user's credentials: 200 "Login Succeeded"."""
    answer = call("POST /auth", 200, json=_credentials(engine), timeout=60)
    assert answer["Status"] == "Login Succeeded"


def test_auth_with_a_wrong_password_is_401(call, engine):
    """POST /auth to the run's htpasswd registry with a wrong password: 401 with a JSON message."""
    assert call("POST /auth", 401, json={**_credentials(engine), "password": "wrong"}, timeout=60)["message"]
