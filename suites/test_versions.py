"""API versions: the documented /v1.41 prefix, the engine's own, none; out-of-range versions refused."""
import pytest

pytestmark = pytest.mark.system


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_are_served(api, engine, prefix, made, check):
    container = made.running(["sleep", "60"])
    client = api.at_version({"documented": "1.41", "engine": engine.api_version, "none": None}[prefix])
    version = check(client.get("/version"), 200, "GET /version")
    assert version["ApiVersion"] == engine.api_version
    listed = check(client.get("/containers/json"), 200, "GET /containers/json")
    assert container in [c["Id"] for c in listed], f"the container made at {prefix} is not listed"


def test_version_above_the_maximum_is_refused(api, engine):
    major, minor = engine.api_version.split(".")
    too_new = f"{major}.{int(minor) + 1}"
    refused = api.at_version(too_new).get("/version")
    assert refused.status_code == 400
    assert f"client version {too_new} is too new" in refused.json()["message"]


def test_version_below_the_minimum_is_refused(api, engine):
    minimum = engine.version["MinAPIVersion"]
    major, minor = minimum.split(".")
    too_old = f"{major}.{int(minor) - 1}"
    refused = api.at_version(too_old).get("/version")
    assert refused.status_code == 400
    # Errors at API versions before 1.24 are plain text, as the API's version history documents.
    assert f"client version {too_old} is too old" in refused.text


def _versions_from(first: str, last: str) -> list[str]:
    major, low = (int(p) for p in first.split("."))
    high = int(last.split(".")[1])
    return [f"{major}.{minor}" for minor in range(low, high + 1)]


def test_same_requests_at_every_version_from_the_documented_one(api, engine, made, check):
    """GET /version, /info, containers, images, networks, volumes at /v1.41 up to the engine's own:
    each answer valid for its version's spec; their shapes feed the report's API-version drift."""
    container = made.running(["sleep", "60"])
    for version in _versions_from("1.41", engine.api_version):
        client = api.at_version(version)
        assert check(client.get("/version"), 200, "GET /version")["ApiVersion"] == engine.api_version
        check(client.get("/info"), 200, "GET /info")
        listed = check(client.get("/containers/json"), 200, "GET /containers/json")
        assert container in [c["Id"] for c in listed]
        check(client.get(f"/containers/{container}/json"), 200, "GET /containers/{id}/json")
        check(client.get("/images/json"), 200, "GET /images/json")
        check(client.get("/images/alpine:latest/json"), 200, "GET /images/{name}/json")
        check(client.get("/networks"), 200, "GET /networks")
        check(client.get("/volumes"), 200, "GET /volumes")
