"""Containers' files: archive (`docker cp`) HEAD, GET and PUT, export, changes; each seen from the other side."""

import stat

import pytest

from fixtures.scenario.objects import demux, tar_of
from fixtures.scenario.streams import path_stat, tar_members
from fixtures.wait import until

pytestmark = pytest.mark.containers

WRITES = ["sh", "-c", "mkdir -p /srv/dir && printf hello > /srv/dir/greeting && sleep 300"]


def _written(api, made) -> str:
    """A running container that has written /srv/dir/greeting ("hello")."""
    container = made.running(WRITES)
    until(
        lambda: api.head(f"/containers/{container}/archive", params={"path": "/srv/dir/greeting"}).status_code,
        10,
        "the container's file written (HEAD /containers/{id}/archive status)",
        accept=lambda status: status == 200,
    )
    return container


def _run_in(api, call, container: str, cmd: list[str]) -> tuple[str, str, int]:
    """stdout, stderr and exit code of CMD run in CONTAINER (exec)."""
    body = {"Cmd": cmd, "AttachStdout": True, "AttachStderr": True}
    exec_id = call("POST /containers/{id}/exec", 201, id=container, json=body)["Id"]
    started = api.post(f"/exec/{exec_id}/start", json={"Detach": False, "Tty": False}, timeout=30)
    assert started.status_code == 200, started.text[:300]
    return *demux(started.content), call("GET /exec/{id}/json", 200, id=exec_id)["ExitCode"]


def test_archive_head_stats_a_path(api, made, call):
    """HEAD /containers/{id}/archive 200: X-Docker-Container-Path-Stat is base64 JSON with name, size and mode."""
    container = _written(api, made)
    response = api.head(f"/containers/{container}/archive", params={"path": "/srv/dir/greeting"})
    call("HEAD /containers/{id}/archive", 200, id=container, params={"path": "/srv/dir/greeting"})
    found = path_stat(response.headers["X-Docker-Container-Path-Stat"])
    assert (found["name"], found["size"]) == ("greeting", 5)
    assert stat.S_IMODE(found["mode"]) == 0o644
    directory = path_stat(
        api.head(f"/containers/{container}/archive", params={"path": "/srv/dir"}).headers[
            "X-Docker-Container-Path-Stat"
        ]
    )
    assert directory["mode"] & (1 << 31), "a directory carries Go's ModeDir bit"


def test_archive_get_returns_a_tar_of_the_path(api, made, call):
    """GET /containers/{id}/archive 200: a tar whose file holds what the container wrote, with the stat header."""
    container = _written(api, made)
    tar = call("GET /containers/{id}/archive", 200, id=container, params={"path": "/srv/dir"})
    assert tar_members(tar) == {"dir": None, "dir/greeting": b"hello"}
    single = api.get(f"/containers/{container}/archive", params={"path": "/srv/dir/greeting"})
    assert tar_members(single.content) == {"greeting": b"hello"}
    assert path_stat(single.headers["X-Docker-Container-Path-Stat"])["size"] == 5


def test_archive_put_extracts_into_the_container(api, made, call):
    """PUT /containers/{id}/archive 200: the tar's file is in the container (seen with exec cat)."""
    container = _written(api, made)
    context = tar_of({"copied/put.txt": b"from the API\n"})
    call(
        "PUT /containers/{id}/archive",
        200,
        id=container,
        params={"path": "/srv"},
        data=context,
        headers={"Content-Type": "application/x-tar"},
    )
    assert _run_in(api, call, container, ["cat", "/srv/copied/put.txt"]) == ("from the API\n", "", 0)


def test_archive_of_a_missing_path_is_404(api, made, call):
    """HEAD, GET and PUT name a path that is not there: 404 (GET and PUT with a JSON message)."""
    container = _written(api, made)
    assert api.head(f"/containers/{container}/archive", params={"path": "/no/such"}).status_code == 404
    assert call("GET /containers/{id}/archive", 404, id=container, params={"path": "/no/such"})["message"]
    refused = call(
        "PUT /containers/{id}/archive",
        404,
        id=container,
        params={"path": "/no/such"},
        data=tar_of({"f": b"x"}),
        headers={"Content-Type": "application/x-tar"},
    )
    assert refused["message"]


def test_archive_put_no_overwrite_dir_non_dir_keeps_the_directory(api, made, call):
    """noOverwriteDirNonDir=1: a file may not replace a directory; refused, the directory stays one."""
    container = _written(api, made)
    refused = call(
        "PUT /containers/{id}/archive",
        400,
        id=container,
        params={"path": "/srv", "noOverwriteDirNonDir": 1},
        data=tar_of({"dir": b"a file now"}),
        headers={"Content-Type": "application/x-tar"},
    )
    assert refused["message"]
    still = api.head(f"/containers/{container}/archive", params={"path": "/srv/dir"})
    assert path_stat(still.headers["X-Docker-Container-Path-Stat"])["mode"] & (1 << 31)


def test_export_is_a_tar_of_the_container_filesystem(api, made, call):
    """GET /containers/{id}/export 200: a tar of the whole filesystem, with the file the container wrote."""
    container = made.container(["sh", "-c", "echo exported > /exported.txt"])
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    members = tar_members(call("GET /containers/{id}/export", 200, id=container, timeout=60))
    assert members["exported.txt"] == b"exported\n"
    assert members["etc/passwd"].startswith(b"root:x:0:0:")


def test_changes_list_added_modified_and_deleted_paths(made, call):
    """GET /containers/{id}/changes 200: a created file is Kind 1, a changed one Kind 0, a removed one Kind 2."""
    container = made.container(["sh", "-c", "echo new > /created.txt && echo more >> /etc/passwd && rm /etc/group"])
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    changes = {c["Path"]: c["Kind"] for c in call("GET /containers/{id}/changes", 200, id=container)}
    assert changes["/created.txt"] == 1
    assert changes["/etc/passwd"] == 0
    assert changes["/etc/group"] == 2
    assert changes["/etc"] == 0
