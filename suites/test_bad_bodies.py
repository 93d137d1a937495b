"""Bad request bodies: a wrong Content-Type, an empty body and trailing garbage are 400 and create nothing."""

import json

import pytest

pytestmark = pytest.mark.system

VALID = '{"Name": "NAME", "Labels": LABELS}'
BODIES = {
    "wrong content type": ("text/plain", VALID),
    "empty body": ("application/json", ""),
    "trailing garbage": ("application/json", VALID + " garbage"),
}
CREATES = {"network": ("/networks/create", "/networks"), "volume": ("/volumes/create", "/volumes")}


@pytest.mark.parametrize("kind", sorted(CREATES))
@pytest.mark.parametrize("case", sorted(BODIES))
def test_bad_body_is_refused(api, made, kind, case):
    """POST /networks/create and /volumes/create with a bad body: 400 with a JSON message, nothing created."""
    content_type, template = BODIES[case]
    name = made.name(kind)
    body = template.replace("NAME", name).replace("LABELS", json.dumps(made.labels))
    create, listing = CREATES[kind]
    response = api.post(create, data=body.encode(), headers={"Content-Type": content_type})
    if response.status_code < 300:  # remove what was made before failing
        getattr(made, f"{kind}s").append(response.json().get("Name") or response.json().get("Id") or name)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["message"]
    listed = api.get(listing, params={"filters": json.dumps({"name": [name]})}).json()
    assert name not in json.dumps(listed), "nothing was created"


@pytest.mark.parametrize("case", sorted(BODIES))
def test_bad_body_on_connect_and_auth(api, made, case):
    """POST /networks/{id}/connect and POST /auth with a bad body: 400 with a JSON message."""
    content_type, _ = BODIES[case]
    network = made.network()
    container = made.container(["true"])
    valid = {"connect": json.dumps({"Container": container}), "auth": json.dumps({"serveraddress": "registry:5000"})}
    for path, body in ((f"/networks/{network}/connect", valid["connect"]), ("/auth", valid["auth"])):
        data = {"wrong content type": body, "empty body": "", "trailing garbage": body + " garbage"}[case]
        response = api.post(path, data=data.encode(), headers={"Content-Type": content_type}, timeout=30)
        assert response.status_code == 400, f"POST {path}: {response.status_code} {response.text[:300]}"
        assert response.json()["message"]
    assert (
        not api.get(f"/containers/{container}/json")
        .json()["NetworkSettings"]["Networks"]
        .get(api.get(f"/networks/{network}").json()["Name"])
    )
