"""Swarm secrets and configs, on an engine made a one-node swarm manager for the test."""
import base64

import pytest

pytestmark = pytest.mark.swarm


def _spec(made, data: bytes) -> dict:
    return made.labelled({"Name": made.name("obj"), "Data": base64.b64encode(data).decode()})


def test_secret_create_list_inspect_delete(api, swarm, made, check):
    """POST /secrets/create 201; listed; inspect never returns the data; DELETE 204, then 404."""
    spec = _spec(made, b"s3cr3t value")
    created = check(api.post("/secrets/create", json=spec), 201, "POST /secrets/create")
    made.secrets.append(created["ID"])

    listed = check(api.get("/secrets"), 200, "GET /secrets")
    assert spec["Name"] in [s["Spec"]["Name"] for s in listed]
    secret = check(api.get(f"/secrets/{created['ID']}"), 200, "GET /secrets/{id}")
    assert secret["Spec"]["Name"] == spec["Name"] and secret["Spec"]["Labels"] == made.labels
    assert "Data" not in secret["Spec"], "secret data must never be returned"
    assert spec["Data"] not in api.get("/secrets").text

    assert api.delete(f"/secrets/{created['ID']}").status_code == 204
    assert api.get(f"/secrets/{created['ID']}").status_code == 404


def test_config_data_round_trips(api, swarm, made, check):
    """POST /configs/create 201; inspect returns the data as sent; DELETE 204, then 404."""
    spec = _spec(made, b"key = value\n")
    created = check(api.post("/configs/create", json=spec), 201, "POST /configs/create")
    made.configs.append(created["ID"])

    listed = check(api.get("/configs", params={"filters": '{"name": ["%s"]}' % spec["Name"]}), 200, "GET /configs")
    assert [c["ID"] for c in listed] == [created["ID"]]
    config = check(api.get(f"/configs/{created['ID']}"), 200, "GET /configs/{id}")
    assert base64.b64decode(config["Spec"]["Data"]) == b"key = value\n"

    assert api.delete(f"/configs/{created['ID']}").status_code == 204
    assert api.get(f"/configs/{created['ID']}").status_code == 404


def test_duplicate_secret_name_is_409(api, swarm, made):
    spec = _spec(made, b"one")
    first = api.post("/secrets/create", json=spec)
    assert first.status_code == 201
    made.secrets.append(first.json()["ID"])
    second = api.post("/secrets/create", json=spec)
    assert second.status_code == 409
    assert second.json()["message"]


def test_secrets_outside_swarm_mode_are_503(api, made):
    """Without swarm mode, the swarm endpoints answer 503 (node is not a swarm manager)."""
    if api.get("/info").json()["Swarm"]["LocalNodeState"] == "active":
        pytest.skip("the engine is in swarm mode already")
    refused = api.get("/secrets")
    assert refused.status_code == 503
    assert "swarm" in refused.json()["message"]
