"""API versions: the documented /v1.41 prefix, the engine's own, none; out-of-range versions refused."""
import pytest

pytestmark = pytest.mark.system


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_are_served(api, engine, prefix, check):
    client = api.at_version({"documented": "1.41", "engine": engine.api_version, "none": None}[prefix])
    version = check(client.get("/version"), 200, "GET /version")
    assert version["ApiVersion"] == engine.api_version
    assert check(client.get("/containers/json"), 200, "GET /containers/json") is not None


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
