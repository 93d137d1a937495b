"""Ownership labels decide what the sweep may remove."""

import socket
import subprocess

from fixtures.run import OWNER_LABEL, RUN_LABEL, Run, owner_alive, owner_of


def test_a_live_process_owns_its_objects():
    assert owner_alive(Run.new().owner)


def test_a_finished_process_owns_nothing():
    gone = subprocess.Popen(["sleep", "0"])
    owner = owner_of(gone.pid)
    gone.wait()
    assert not owner_alive(owner)


def test_a_reused_pid_is_not_the_owner():
    host, pid, started = Run.new().owner.split(":")
    assert not owner_alive(f"{host}:{pid}:{int(started) + 1}")


def test_other_hosts_runs_are_left_alone():
    """The same pid and start time that are dead here say nothing about a process of another host."""
    gone = subprocess.Popen(["sleep", "0"])
    owner = owner_of(gone.pid)
    gone.wait()
    host, pid, started = owner.split(":")
    assert host == socket.gethostname() and not owner_alive(owner)
    assert owner_alive(f"{host}-elsewhere:{pid}:{started}")


def test_labels_and_names_of_a_worker():
    run = Run.new("abc", worker="gw1")
    assert run.labels == {RUN_LABEL: "abc", OWNER_LABEL: run.owner}
    assert run.prefix == "engine-conformance-abc-gw1"


class _Thing:
    def __init__(self, name, labels, removed):  # as a sparse list gives it: no .labels, Names in attrs
        self.id, self.name, self.attrs, self._removed = name, name, {"Labels": labels, "Names": [f"/{name}"]}, removed

    def remove(self, **_):
        self._removed.append(self.name)


def test_a_worker_removes_its_own_objects_not_its_siblings():
    from types import SimpleNamespace

    from fixtures.engines.cleanup import remove_run

    mine, sibling = Run.new("abc", worker="gw0"), Run("abc", "host:1:1", "gw1")
    removed: list[str] = []
    containers = [_Thing("mine", mine.labels, removed), _Thing("sibling's", sibling.labels, removed)]
    client = SimpleNamespace(
        containers=SimpleNamespace(list=lambda sparse=False, **_: containers if sparse else 1 / 0),
        networks=SimpleNamespace(list=lambda **_: []),
        volumes=SimpleNamespace(list=lambda **_: []),
    )
    assert remove_run(client, mine) == ["container mine"]
    assert removed == ["mine"]


def test_what_a_sibling_removed_meanwhile_is_no_error():
    from types import SimpleNamespace

    import docker

    from fixtures.engines.cleanup import remove_run

    mine = Run.new("abc", worker="gw0")

    class _Gone(_Thing):
        def remove(self, **_):
            raise docker.errors.NotFound("No such container")

    client = SimpleNamespace(
        containers=SimpleNamespace(list=lambda **_: [_Gone("gone", mine.labels, []), _Thing("mine", mine.labels, [])]),
        networks=SimpleNamespace(list=lambda **_: []),
        volumes=SimpleNamespace(list=lambda **_: []),
    )
    assert remove_run(client, mine) == ["container mine"]


def test_a_container_a_sibling_is_removing_is_no_error_even_after_a_thaw(monkeypatch):
    from types import SimpleNamespace

    import docker

    from fixtures.engines import cleanup

    mine = Run.new("abc", worker="gw0")
    monkeypatch.setattr(cleanup, "thaw_orphans", lambda client: [])

    class _Busy(_Thing):
        def remove(self, **_):
            raise docker.errors.APIError("409", explanation="removal of container x is already in progress")

    class _StuckThenGone(_Thing):
        calls = 0

        def remove(self, **_):
            _StuckThenGone.calls += 1
            if _StuckThenGone.calls == 1:
                raise docker.errors.APIError("500", explanation="cannot kill: a zombie engine")
            raise docker.errors.NotFound("No such container")

    client = SimpleNamespace(
        containers=SimpleNamespace(
            list=lambda **_: [_Busy("busy", mine.labels, []), _StuckThenGone("s", mine.labels, [])]
        ),
        networks=SimpleNamespace(list=lambda **_: []),
        volumes=SimpleNamespace(list=lambda **_: []),
    )
    assert cleanup.remove_run(client, mine) == []
