"""Images: pull through the registry, build from a tar context, list, run, delete."""

import pytest

from fixtures.scenario.objects import demux, json_lines

pytestmark = pytest.mark.images


def _run(api, made, call, image: str) -> str:
    container = made.container(Image=image)
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    return demux(api.get(f"/containers/{container}/logs", params={"stdout": 1}).content)[0]


def test_pull_lists_and_runs(api, made, call):
    """POST /images/create?fromImage=alpine&tag=latest 200; listed with its tag; runs."""
    pulled = api.post("/images/create", params={"fromImage": "alpine", "tag": "latest"}, timeout=120)
    assert pulled.status_code == 200
    messages = json_lines(pulled)
    assert not [m for m in messages if "error" in m], messages
    assert any("alpine:latest" in m.get("status", "") for m in messages), messages[-1]

    assert any("alpine:latest" in (i.get("RepoTags") or []) for i in call("GET /images/json", 200))
    call("GET /images/{name}/json", 200, name="alpine:latest")
    assert _run(api, made, call, "alpine:latest") == ""


def test_build_tag_run_delete(api, made, call):
    """POST /build with a tar context and t=NAME:latest; the image runs; DELETE untags it; then 404."""
    tag = made.image('FROM alpine\nRUN echo built > /built\nCMD ["cat", "/built"]\n')

    inspected = call("GET /images/{name}/json", 200, name=tag)
    assert tag in inspected["RepoTags"]
    assert made.labels.items() <= inspected["Config"]["Labels"].items(), "build labels, beside the base image's"
    assert _run(api, made, call, tag) == "built\n"

    for container in made.containers:  # an image's containers go first, else DELETE is a 409
        assert api.delete(f"/containers/{container}").status_code == 204
    made.containers.clear()
    deleted = call("DELETE /images/{name}", 200, name=tag)
    assert {"Untagged": tag} in deleted
    assert api.get(f"/images/{tag}/json").status_code == 404
    assert not any(tag in (i.get("RepoTags") or []) for i in api.get("/images/json").json())


def test_unknown_image_is_404(api, made):
    assert api.get("/images/no-such-image:latest/json").status_code == 404
    assert api.delete("/images/no-such-image:latest").status_code == 404
    missing = api.post("/containers/create", json=made.labelled({"Image": "no-such-image:latest"}))
    assert missing.status_code == 404
    assert missing.json()["message"]
