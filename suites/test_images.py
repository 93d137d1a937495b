"""Images: pull through the registry, build from a tar context, list, run, delete."""

import io
import json
import tarfile

import pytest

from fixtures.client.http import registry_auth
from fixtures.scenario.objects import demux
from fixtures.scenario.plugin import auth_registry_of, registry_of
from fixtures.scenario.streams import check_stream, json_messages, stream_errors

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
    messages = json_messages(pulled)
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


def test_unknown_image_is_404(api, made, call):
    assert api.get("/images/no-such-image:latest/json").status_code == 404
    assert api.delete("/images/no-such-image:latest").status_code == 404
    assert call("POST /containers/create", 404, json=made.labelled({"Image": "no-such-image:latest"}))["message"]


def _ours(made, **more) -> str:
    """A filters= value of the run's labels, and MORE."""
    filters = {"label": [f"{k}={v}" for k, v in made.labels.items()]}
    for key, values in more.items():
        filters[key] = filters.get(key, []) + values
    return json.dumps(filters)


def test_tag_lists_and_runs(api, made, call):
    """POST /images/{name}/tag 201: the new tag is listed and runs; an invalid repository name is 400."""
    built = made.image('FROM alpine\nCMD ["echo", "tagged"]\n')
    repo = made.name("tagged")
    reference = made.tag(built, repo, "v1")

    assert reference in call("GET /images/{name}/json", 200, name=reference)["RepoTags"]
    assert any(reference in (i.get("RepoTags") or []) for i in call("GET /images/json", 200))
    assert _run(api, made, call, reference) == "tagged\n"

    invalid = {"repo": "Not A Repository!", "tag": "latest"}
    assert call("POST /images/{name}/tag", 400, name=built, params=invalid)["message"]


def test_push_and_pull_back_by_digest(api, made, call, engine):
    """POST /images/{name}/push with X-Registry-Auth; the pushed digest is what GET /distribution/{name}/json
    and a pull by digest see."""
    registry = registry_of(engine)
    built = made.image('FROM alpine\nRUN echo pushed > /pushed\nCMD ["cat", "/pushed"]\n')
    reference, digest = made.pushed(built, registry, registry_auth(registry))

    distribution = call(
        "GET /distribution/{name}/json", 200, name=reference, headers={"X-Registry-Auth": registry_auth(registry)}
    )
    assert distribution["Descriptor"]["digest"] == digest

    repo = reference.rsplit(":", 1)[0]
    call("DELETE /images/{name}", 200, name=reference)
    call("DELETE /images/{name}", 200, name=built)
    assert api.get(f"/images/{reference}/json").status_code == 404

    by_digest = f"{repo}@{digest}"
    made.removes_image(by_digest)
    pulled = api.post(
        "/images/create",
        params={"fromImage": by_digest},
        headers={"X-Registry-Auth": registry_auth(registry)},
        timeout=120,
    )
    assert pulled.status_code == 200
    check_stream(pulled, "POST /images/create")
    assert by_digest in call("GET /images/{name}/json", 200, name=by_digest)["RepoDigests"]
    assert _run(api, made, call, by_digest) == "pushed\n"


def test_history_names_each_step(made, call):
    """GET /images/{name}/history: one entry per build step, newest first, CreatedBy naming the step."""
    built = made.image("FROM alpine\nRUN echo first-step > /first\nRUN echo second-step > /second\n")
    base = call("GET /images/{name}/history", 200, name="alpine:latest")
    history = call("GET /images/{name}/history", 200, name=built)

    ours = [entry["CreatedBy"] for entry in history[: len(history) - len(base)]]
    assert "LABEL" in ours[0], "the build's labels parameter comes last"
    steps = [created_by for created_by in ours if "LABEL" not in created_by]
    assert len(steps) == 2
    assert "second-step" in steps[0]
    assert "first-step" in steps[1]


def _manifest(tar: bytes) -> list[dict]:
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        return json.load(archive.extractfile("manifest.json"))


def test_save_delete_load(api, made, call):
    """GET /images/{name}/get and /images/get?names= give a tar whose manifest.json names the RepoTags;
    POST /images/load brings a deleted image back, listed and running."""
    first = made.image('FROM alpine\nRUN echo saved > /saved\nCMD ["cat", "/saved"]\n')
    second = made.image('FROM alpine\nRUN echo other > /other\nCMD ["cat", "/other"]\n')

    one = call("GET /images/{name}/get", 200, name=first, timeout=60)
    assert [m["RepoTags"] for m in _manifest(one)] == [[first]]
    both = call("GET /images/get", 200, params={"names": [first, second]}, timeout=60)
    assert sorted(tag for m in _manifest(both) for tag in m["RepoTags"]) == sorted([first, second])

    call("DELETE /images/{name}", 200, name=first)
    assert api.get(f"/images/{first}/json").status_code == 404
    loaded = api.post(
        "/images/load", data=one, params={"quiet": 1}, headers={"Content-Type": "application/x-tar"}, timeout=60
    )
    assert loaded.status_code == 200
    assert [m.get("stream") for m in json_messages(loaded)] == [f"Loaded image: {first}\n"], "quiet: no progress"
    assert any(first in (i.get("RepoTags") or []) for i in call("GET /images/json", 200))
    assert _run(api, made, call, first) == "saved\n"


def test_commit_keeps_the_containers_file(api, made, call):
    """POST /commit 201: a container's file is in the new image, and `changes` sets its CMD."""
    container = made.container(["sh", "-c", "echo committed > /committed"])
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0

    image = made.committed(container, changes='CMD ["cat", "/committed"]', comment="by the suite")
    inspected = call("GET /images/{name}/json", 200, name=image)
    assert inspected["Config"]["Cmd"] == ["cat", "/committed"]
    assert inspected["Comment"] == "by the suite"
    assert _run(api, made, call, image) == "committed\n"


def test_prune_dangling_of_the_run(api, made, call):
    """POST /images/prune with dangling and label filters removes the run's dangling image, nothing else."""
    tag = made.image("FROM alpine\nRUN echo one > /version\n")
    old = call("GET /images/{name}/json", 200, name=tag)["Id"]
    made.removes_image(old)
    made.image("FROM alpine\nRUN echo two > /version\n", t=tag)  # the tag moves: the first image dangles
    assert call("GET /images/{name}/json", 200, name=old)["RepoTags"] in ([], None)

    pruned = call("POST /images/prune", 200, params={"filters": _ours(made, dangling=["true"])})
    assert {"Deleted": old} in (pruned["ImagesDeleted"] or [])
    assert isinstance(pruned["SpaceReclaimed"], int)
    assert api.get(f"/images/{old}/json").status_code == 404
    call("GET /images/{name}/json", 200, name=tag)
    call("GET /images/{name}/json", 200, name="alpine:latest")


def test_delete_with_force_and_noprune(api, made, call):
    """DELETE /images/{name}: an image a container uses is 409, force=1 removes it; noprune=1 keeps its parent."""
    tag = made.image("FROM alpine\nRUN echo a > /a\nRUN echo b > /b\n")
    image = call("GET /images/{name}/json", 200, name=tag)
    made.container(Image=tag)
    assert call("DELETE /images/{name}", 409, name=image["Id"])["message"]

    parent = image["Parent"]
    assert parent, "a classic build keeps its steps as parent images"
    assert parent != call("GET /images/{name}/json", 200, name="alpine:latest")["Id"], "the parent is a step of ours"
    made.removes_image(parent)
    deleted = call("DELETE /images/{name}", 200, name=image["Id"], params={"force": 1, "noprune": 1})
    assert {"Untagged": tag} in deleted
    assert api.get(f"/images/{tag}/json").status_code == 404
    call("GET /images/{name}/json", 200, name=parent)


def test_search_without_an_index(api, call):
    """GET /images/search when the engine cannot reach its index: an error with a JSON message."""
    assert call("GET /images/search", 500, params={"term": "alpine", "limit": 5}, timeout=60)["message"]


def test_list_filters(api, made, call):
    """GET /images/json filters: reference, label, dangling; a malformed filter is 400."""
    tag = made.image("FROM alpine\nLABEL conformance.kind=filtered\n")
    by_reference = call("GET /images/json", 200, params={"filters": json.dumps({"reference": [tag]})})
    assert [i["RepoTags"] for i in by_reference] == [[tag]]
    by_label = call("GET /images/json", 200, params={"filters": _ours(made, label=["conformance.kind=filtered"])})
    assert [i["RepoTags"] for i in by_label] == [[tag]]
    dangling = call("GET /images/json", 200, params={"filters": json.dumps({"dangling": ["true"]})})
    assert all(not i["RepoTags"] or i["RepoTags"] == ["<none>:<none>"] for i in dangling)
    assert tag not in [t for i in dangling for t in i["RepoTags"] or []]

    assert call("GET /images/json", 400, params={"filters": "{not json"})["message"]


def _refused(response) -> bool:
    """Whether a push or pull was refused: by its status, or by an error in its progress stream."""
    return response.status_code != 200 or bool(stream_errors(response))


def test_push_and_pull_need_credentials(api, made, call, engine):
    """A registry with htpasswd auth: push and pull fail without X-Registry-Auth and succeed with it."""
    registry = auth_registry_of(engine)
    auth = registry_auth(registry.address, registry.username, registry.password)
    built = made.image('FROM alpine\nRUN echo private > /private\nCMD ["cat", "/private"]\n')
    anonymous = made.tag(built, f"{registry.address}/{made.name('private')}")
    assert _refused(api.post(f"/images/{anonymous}/push", timeout=120)), "pushed without credentials"

    reference, digest = made.pushed(built, registry.address, auth)
    for name in (reference, anonymous, built):
        call("DELETE /images/{name}", 200, name=name)
    assert _refused(api.post("/images/create", params={"fromImage": reference}, timeout=120)), (
        "pulled without credentials"
    )
    assert api.get(f"/images/{reference}/json").status_code == 404

    pulled = api.post("/images/create", params={"fromImage": reference}, headers={"X-Registry-Auth": auth}, timeout=120)
    assert pulled.status_code == 200, pulled.text[-300:]
    check_stream(pulled, "POST /images/create")
    assert (
        f"{reference.rsplit(':', 1)[0]}@{digest}" in call("GET /images/{name}/json", 200, name=reference)["RepoDigests"]
    )
    assert _run(api, made, call, reference) == "private\n"
