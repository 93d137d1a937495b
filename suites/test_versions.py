"""API versions: the documented /v1.41 prefix, the engine's own, none; out-of-range versions refused.

An engine refuses calls below its MinAPIVersion (GET /version says which): docker-28.5-floor-1.44 refuses
1.41-1.43 as Docker 29 does. That refusal is documented behaviour, so the tests that call an older version
on purpose expect it there.
"""

import pytest
from packaging.version import Version

from openapi.specs import set_versions

pytestmark = pytest.mark.system

DOCUMENTED = "1.41"  # the version the API docs write in their examples


def too_old_message(version: str, minimum: str) -> str:
    """moby's refusal of a version below the minimum (api/server/middleware/version.go, versionUnsupportedError)."""
    return (
        f"client version {version} is too old. Minimum supported API version is {minimum}, "
        "please upgrade your client to a newer version"
    )


def assert_refused_as_too_old(api, engine, version: str) -> None:
    refused = api.at_version(version).get("/version")
    assert refused.status_code == 400, f"GET /v{version}/version: expected 400, got {refused.status_code}"
    assert refused.json()["message"] == too_old_message(version, engine.version["MinAPIVersion"])


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_are_served(api, engine, prefix, made, call):
    container = made.running(["sleep", "60"])
    version = {"documented": DOCUMENTED, "engine": engine.api_version, "none": None}[prefix]
    if version and Version(version) < Version(engine.version["MinAPIVersion"]):
        assert_refused_as_too_old(api, engine, version)
        return
    client = api.at_version(version)
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


def test_versions_from_the_documented_one_below_the_minimum_are_refused(api, engine):
    """Every version from /v1.41 below the engine's MinAPIVersion: 400 with moby's message (Docker 29 raised the
    minimum to 1.44)."""
    minimum = Version(engine.version["MinAPIVersion"])
    below = [v for v in set_versions() if Version(DOCUMENTED) <= Version(v) < minimum]
    if not below:
        pytest.skip(f"{engine.name} serves every version from {DOCUMENTED} (MinAPIVersion {minimum})")
    for version in below:
        assert_refused_as_too_old(api, engine, version)


def test_same_requests_at_every_version_from_the_documented_one(api, engine, made, call):
    """GET /version, /info, containers, images, networks, volumes at /v1.41 (or the engine's MinAPIVersion, where
    that is newer) up to the engine's own: each answer valid for its version's spec; their shapes feed the report's
    API-version drift."""
    container = made.running(["sleep", "60"])
    oldest = max(Version(DOCUMENTED), Version(engine.version["MinAPIVersion"]))
    for version in [v for v in set_versions() if oldest <= Version(v) <= Version(engine.api_version)]:
        client = api.at_version(version)
        assert call("GET /version", 200, via=client)["ApiVersion"] == engine.api_version
        call("GET /info", 200, via=client)
        assert container in [c["Id"] for c in call("GET /containers/json", 200, via=client)]
        call("GET /containers/{id}/json", 200, via=client, id=container)
        call("GET /images/json", 200, via=client)
        call("GET /images/{name}/json", 200, via=client, name="alpine:latest")
        call("GET /networks", 200, via=client)
        call("GET /volumes", 200, via=client)
