"""Images: pull through the registry, build from a tar context, list, run, delete."""
import io
import json
import tarfile

import pytest

from fixtures.scenario.objects import demux, json_lines

pytestmark = pytest.mark.images


def _context(dockerfile: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = dockerfile.encode()
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _run(api, made, image: str) -> str:
    container = made.container([], Image=image)
    assert api.post(f"/containers/{container}/start").status_code == 204
    assert api.post(f"/containers/{container}/wait", timeout=30).json()["StatusCode"] == 0
    return demux(api.get(f"/containers/{container}/logs", params={"stdout": 1}).content)[0]


def test_pull_lists_and_runs(api, made, check):
    """POST /images/create?fromImage=alpine&tag=latest 200; listed with its tag; runs."""
    pulled = api.post("/images/create", params={"fromImage": "alpine", "tag": "latest"}, timeout=120)
    assert pulled.status_code == 200
    messages = json_lines(pulled)
    assert not [m for m in messages if "error" in m], messages
    assert any("alpine:latest" in m.get("status", "") for m in messages), messages[-1]

    listed = check(api.get("/images/json"), 200, "GET /images/json")
    assert any("alpine:latest" in (i.get("RepoTags") or []) for i in listed)
    check(api.get("/images/alpine:latest/json"), 200, "GET /images/{name}/json")
    assert _run(api, made, "alpine:latest") == ""


def test_build_tag_run_delete(api, made, check):
    """POST /build with a tar context and t=NAME:latest; the image runs; DELETE untags it; then 404."""
    tag = f"{made.name('image')}:latest"
    made.images.append(tag)
    built = api.post("/build", params={"t": tag, "labels": json.dumps(made.labels), "rm": 1},
                     data=_context("FROM alpine\nRUN echo built > /built\nCMD [\"cat\", \"/built\"]\n"),
                     headers={"Content-Type": "application/x-tar"}, timeout=120)
    assert built.status_code == 200
    assert not [m for m in json_lines(built) if "error" in m], built.text[-500:]

    inspected = check(api.get(f"/images/{tag}/json"), 200, "GET /images/{name}/json")
    assert tag in inspected["RepoTags"]
    assert made.labels.items() <= inspected["Config"]["Labels"].items(), "build labels, beside the base image's"
    assert _run(api, made, tag) == "built\n"

    for container in made.containers:  # an image's containers go first, else DELETE is a 409
        assert api.delete(f"/containers/{container}").status_code == 204
    made.containers.clear()
    deleted = check(api.delete(f"/images/{tag}"), 200, "DELETE /images/{name}")
    assert {"Untagged": tag} in deleted
    assert api.get(f"/images/{tag}/json").status_code == 404
    assert not any(tag in (i.get("RepoTags") or []) for i in api.get("/images/json").json())


def test_unknown_image_is_404(api, made):
    assert api.get("/images/no-such-image:latest/json").status_code == 404
    assert api.delete("/images/no-such-image:latest").status_code == 404
    missing = api.post("/containers/create", json=made.labelled({"Image": "no-such-image:latest"}))
    assert missing.status_code == 404
    assert missing.json()["message"]
