"""API versions: the documented /v1.41 prefix, the engine's own, none; out-of-range versions refused."""

import pytest
from packaging.version import Version

from openapi.specs import set_versions

pytestmark = pytest.mark.system


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_are_served(api, engine, prefix, made, call):
    container = made.running(["sleep", "60"])
    client = api.at_version({"documented": "1.41", "engine": engine.api_version, "none": None}[prefix])
    assert call("GET /version", 200, via=client)["ApiVersion"] == engine.api_version
    listed = call("GET /containers/json", 200, via=client)
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


def test_same_requests_at_every_version_from_the_documented_one(api, engine, made, call):
    """GET /version, /info, containers, images, networks, volumes at /v1.41 up to the engine's own:
    each answer valid for its version's spec; their shapes feed the report's API-version drift."""
    container = made.running(["sleep", "60"])
    for version in [v for v in set_versions() if Version("1.41") <= Version(v) <= Version(engine.api_version)]:
        client = api.at_version(version)
        assert call("GET /version", 200, via=client)["ApiVersion"] == engine.api_version
        call("GET /info", 200, via=client)
        assert container in [c["Id"] for c in call("GET /containers/json", 200, via=client)]
        call("GET /containers/{id}/json", 200, via=client, id=container)
        call("GET /images/json", 200, via=client)
        call("GET /images/{name}/json", 200, via=client, name="alpine:latest")
        call("GET /networks", 200, via=client)
        call("GET /volumes", 200, via=client)
