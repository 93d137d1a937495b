"""Smoke: every selected engine answers on every transport and is the engine it claims to be."""

import pytest

pytestmark = pytest.mark.system


def test_ping(api):
    """GET /_ping 200 OK, unversioned and versioned."""
    for client in (api.at_version(None), api):
        response = client.get("/_ping")
        assert response.status_code == 200, response.text
        assert response.text == "OK"
        assert response.headers.get("Api-Version"), "every answer names the API version"


def test_version_is_the_expected_engine(api, engine):
    """GET /version 200 .Version and .ApiVersion are what the engine is known to ship."""
    response = api.get("/version")
    assert response.status_code == 200, response.text
    version = response.json()
    if engine.spec.version:  # Debian's builds append +dfsgN
        assert version["Version"].split("+")[0] == engine.spec.version
    if engine.spec.api_version:
        assert version["ApiVersion"] == engine.spec.api_version
    assert version["MinAPIVersion"] <= version["ApiVersion"]
    assert response.headers["Api-Version"] == version["ApiVersion"]
