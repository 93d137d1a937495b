"""Swarm secrets and configs, on an engine made a one-node swarm manager for the test."""

import base64
import json

import pytest

pytestmark = pytest.mark.swarm


def test_secret_create_list_inspect_delete(api, swarm, made, call):
    """POST /secrets/create 201; listed; inspect never returns the data; DELETE 204, then 404."""
    name = made.name("secret")
    secret = made.secret(b"s3cr3t value", name)

    assert name in [s["Spec"]["Name"] for s in call("GET /secrets", 200)]
    inspected = call("GET /secrets/{id}", 200, id=secret)
    assert inspected["Spec"]["Name"] == name and inspected["Spec"]["Labels"] == made.labels
    assert "Data" not in inspected["Spec"], "secret data must never be returned"
    assert base64.b64encode(b"s3cr3t value").decode() not in api.get("/secrets").text

    call("DELETE /secrets/{id}", 204, id=secret)
    assert api.get(f"/secrets/{secret}").status_code == 404


def test_config_data_round_trips(api, swarm, made, call):
    """POST /configs/create 201; inspect returns the data as sent; DELETE 204, then 404."""
    name = made.name("config")
    config = made.config(b"key = value\n", name)

    assert [c["ID"] for c in call("GET /configs", 200, params={"filters": json.dumps({"name": [name]})})] == [config]
    assert base64.b64decode(call("GET /configs/{id}", 200, id=config)["Spec"]["Data"]) == b"key = value\n"

    call("DELETE /configs/{id}", 204, id=config)
    assert api.get(f"/configs/{config}").status_code == 404


def test_duplicate_secret_name_is_409(api, swarm, made):
    name = made.name("secret")
    made.secret(b"one", name)
    second = api.post("/secrets/create", json=made.labelled({"Name": name, "Data": base64.b64encode(b"one").decode()}))
    assert second.status_code == 409
    assert second.json()["message"]


def test_secrets_outside_swarm_mode_are_503(api, made):
    """Without swarm mode, the swarm endpoints answer 503 (node is not a swarm manager)."""
    if api.get("/info").json()["Swarm"]["LocalNodeState"] == "active":
        pytest.skip("the engine is in swarm mode already")
    refused = api.get("/secrets")
    assert refused.status_code == 503
    assert "swarm" in refused.json()["message"]
