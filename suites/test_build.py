"""Build: the documented POST /build parameters, a failing step, POST /build/prune."""

import gzip
import json

import pytest

from fixtures.scenario.objects import demux, tar_of
from fixtures.scenario.streams import check_stream, json_messages, stream_errors

pytestmark = pytest.mark.images


def _build(api, made, files: dict[str, bytes], tags: list[str], *, gzipped: bool = False, **params):
    """POST /build of FILES tagged TAGS (each removed at the end); the response."""
    for tag in tags:
        made.removes_image(tag)
    context = tar_of(files)
    response = api.post(
        "/build",
        # forcerm: a failed step's container goes too (on a daemon that is not the run's, it would stay behind)
        params={"t": tags, "labels": json.dumps(made.labels), "rm": 1, "forcerm": 1, **params},
        data=gzip.compress(context) if gzipped else context,
        headers={"Content-Type": "application/x-tar"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:300]
    return response


def _output(api, made, call, image: str, cmd: list[str] | None = None, **host) -> str:
    container = made.container(cmd, Image=image, HostConfig=host) if host else made.container(cmd, Image=image)
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    return demux(api.get(f"/containers/{container}/logs", params={"stdout": 1}).content)[0]


MULTI_STAGE = b"""FROM alpine AS base
ARG GREETING=unset
RUN echo "$GREETING" > /greeting
FROM base AS final
RUN echo final > /stage
FROM base AS other
RUN echo other > /stage
"""


def test_buildargs_target_labels_and_several_tags(api, made, call):
    """buildargs reach ARG, target stops at its stage, labels are set, every t names the image."""
    first, second = f"{made.name('built')}:one", f"{made.name('built')}:two"
    built = _build(
        api,
        made,
        {"Dockerfile": MULTI_STAGE},
        [first, second],
        buildargs=json.dumps({"GREETING": "hello"}),
        target="final",
        labels=json.dumps({**made.labels, "conformance.built": "yes"}),
    )
    check_stream(built, "POST /build")
    one = call("GET /images/{name}/json", 200, name=first)
    assert one["Id"] == call("GET /images/{name}/json", 200, name=second)["Id"]
    assert one["Config"]["Labels"]["conformance.built"] == "yes"
    assert _output(api, made, call, first, ["cat", "/greeting", "/stage"]) == "hello\nfinal\n"


def test_dockerfile_path_nocache_quiet_gzip(api, made, call):
    """dockerfile names a file elsewhere in the context; nocache runs every step; q prints only the id;
    a gzip context is accepted."""
    tag = f"{made.name('built')}:latest"
    files = {"build/Other.dockerfile": b'FROM alpine\nRUN date +%s%N > /stamp\nCMD ["cat", "/stamp"]\n'}
    _build(api, made, files, [tag], dockerfile="build/Other.dockerfile", gzipped=True)
    first = call("GET /images/{name}/json", 200, name=tag)["Id"]
    made.removes_image(first)

    again = _build(api, made, files, [tag], dockerfile="build/Other.dockerfile", nocache=1, q=1, gzipped=True)
    messages = json_messages(again)
    rebuilt = call("GET /images/{name}/json", 200, name=tag)["Id"]
    assert rebuilt != first, "nocache: the RUN step ran again"
    printed = [m["stream"].strip() for m in messages if m.get("stream", "").strip()]
    assert [line.removeprefix("sha256:") for line in printed] == [rebuilt.removeprefix("sha256:")], "q: the id only"


def test_networkmode_none(api, made, call):
    """networkmode=none: RUN steps see only the loopback interface."""
    tag = f"{made.name('built')}:latest"
    _build(api, made, {"Dockerfile": b"FROM alpine\nRUN ls /sys/class/net > /interfaces\n"}, [tag], networkmode="none")
    assert _output(api, made, call, tag, ["cat", "/interfaces"]) == "lo\n"


def test_a_failing_step_gives_an_error_and_no_image(api, made):
    """A RUN step that exits non-zero: an error message in the stream, and no image of that tag."""
    tag = f"{made.name('built')}:latest"
    failed = _build(api, made, {"Dockerfile": b"FROM alpine\nRUN exit 7\n"}, [tag])
    errors = stream_errors(failed)
    assert errors, failed.text[-300:]
    assert "7" in errors[-1]
    assert api.get(f"/images/{tag}/json").status_code == 404


@pytest.mark.run_engines_only("POST /build/prune has no label filter: it removes the daemon's own build cache")
def test_build_prune(call):
    """POST /build/prune 200: what it reclaimed; afterwards GET /system/df lists no unused build cache."""
    pruned = call("POST /build/prune", 200, params={"all": 1}, timeout=60)
    assert isinstance(pruned["SpaceReclaimed"], int)
    df = call("GET /system/df", 200, timeout=60)
    assert [c for c in df.get("BuildCache") or [] if not c["InUse"]] == []
