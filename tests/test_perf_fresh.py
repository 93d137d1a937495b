"""A fresh machine's first report: its phases, the host engine's recorded install, one transcript per xdist run."""

import json
import os
import time

from fixtures.client.plugin import merge_worker_transcripts
from fixtures.engines import host
from perf import fresh

APT_HISTORY = """
Start-Date: 2026-11-29  13:30:00
Commandline: apt-get install -y curl
Install: curl:amd64 (8.0)
End-Date: 2026-11-29  13:30:02

Start-Date: 2026-11-29  13:34:36
Commandline: apt-get install -y -q --no-install-recommends docker.io mmdebstrap iptables
Install: docker.io:amd64 (20.10.24)
End-Date: 2026-11-29  13:34:44
"""


def test_host_setup_comes_from_the_projects_record_first(tmp_path, monkeypatch):
    monkeypatch.setattr(host, "SETUP_RECORD", tmp_path / "setup.json")
    monkeypatch.setattr(host, "APT_HISTORY", tmp_path / "history.log")
    assert host.setup_seconds()[0] is None
    (tmp_path / "history.log").write_text(APT_HISTORY)
    seconds, source = host.setup_seconds()
    assert seconds == 8 and "docker.io" in source and "no start" in source
    (tmp_path / "history.log").write_text(
        APT_HISTORY + "\nStart-Date: 2026-11-30  10:00:00\nCommandline: apt-get install docker.io\n"
    )
    assert host.setup_seconds()[0] == 8  # an entry cut short (no End-Date) is not read into the next one
    monkeypatch.setattr(host, "STATE_DIR", tmp_path)
    (tmp_path / "setup.json").write_text("{not json")
    assert host.setup_seconds()[0] == 8
    host._record_setup(packages=["docker.io"], install_s=20.0, start_s=1.5)
    assert host.setup_seconds() == (
        21.5,
        f"{tmp_path / 'setup.json'} (install of {host.json.loads((tmp_path / 'setup.json').read_text())['at']})",
    )


class _Image:
    def __init__(self, tags):
        self.tags = tags

    def tag(self, repository, version):
        self.tags.append(f"{repository}:{version}")


class _Images:
    def __init__(self, images, in_use=()):
        self.images, self.in_use = images, in_use

    def list(self, name):
        prefix = name.rstrip("*")
        return [
            i for i in self.images if any(t == name or (name.endswith("*") and t.startswith(prefix)) for t in i.tags)
        ]

    def remove(self, tag):
        import docker

        if tag in self.in_use:
            raise docker.errors.APIError("conflict", explanation="image is being used by a stopped container")
        for image in self.images:
            if tag in image.tags:
                image.tags.remove(tag)


class _Host:
    def __init__(self, images):
        self.images = images


def test_put_back_restores_unbuilt_images_drops_rebuilt_ones_and_leaves_other_tags_be():
    unbuilt = _Image(["engine-conformance-aside/alpine:aaa", "127.0.0.1:5000/library/alpine:latest", "mine:x"])
    rebuilt_old = _Image(["engine-conformance-aside/docker-28.5:bbb"])
    busy = _Image(["engine-conformance-aside/registry:ccc"])
    images = _Images(
        [unbuilt, rebuilt_old, busy, _Image(["engine-conformance/docker-28.5:bbb"])],
        ["engine-conformance-aside/registry:ccc"],
    )
    said = []
    done = fresh.put_back(_Host(images), said.append)
    assert done == ["engine-conformance/alpine:aaa", "engine-conformance/docker-28.5:bbb"]
    assert unbuilt.tags == ["127.0.0.1:5000/library/alpine:latest", "mine:x", "engine-conformance/alpine:aaa"]
    assert rebuilt_old.tags == []  # the old image of a rebuilt recipe goes
    assert busy.tags == ["engine-conformance-aside/registry:ccc", "engine-conformance/registry:ccc"]
    assert said and "stays set aside" in said[0]


def test_a_fresh_users_shell_has_none_of_the_outer_tox(tmp_path, monkeypatch):
    monkeypatch.setenv("TOX_WORK_DIR", "/work/main/.tox")
    monkeypatch.setenv("PIP_CONSTRAINT", "/work/main/constraints.txt")
    monkeypatch.setenv("CONFORMANCE_SPEC_DIR", "/specs")
    monkeypatch.setenv("CONFORMANCE_DEBIAN_MIRROR", "http://mirror")
    monkeypatch.setenv("PATH", f"{fresh.sys.prefix}/bin:/usr/bin")
    env = fresh._fresh_env(tmp_path)
    assert not [k for k in env if k.startswith(("TOX_", "PIP_CONSTRAINT"))] and "CONFORMANCE_SPEC_DIR" not in env
    assert env["PATH"] == f"{tmp_path}/python/bin:/usr/bin"
    assert (
        env["CONFORMANCE_CACHE_DIR"] == str(tmp_path / "cache") and env["CONFORMANCE_DEBIAN_MIRROR"] == "http://mirror"
    )


def test_breakdown_adds_the_install_and_names_the_phases(tmp_path, monkeypatch):
    monkeypatch.setattr(host, "setup_seconds", lambda: (10.0, "record"))
    (tmp_path / "reports/output").mkdir(parents=True)
    tests = [{"status": "Pass"}, {"status": "Pass"}, {"status": "Fail", "known": True}, {"status": "Fail"}]
    results = {"run": {"wall_s": 150.0}, "tests": tests}
    (tmp_path / "reports/output/results.json").write_text(json.dumps(results))
    output = "building image x\nbuilt engine-conformance/docker-28.5:abc in 50 s (300 MB)\n"
    output += "built engine-conformance/alpine:def in 20 s (3 MB)\nbuilt 2 images side by side in 52 s\n"
    phases = {"pip install 'tox>=4,<5'": 5.0, "tox -e conformance": 200.0}
    out = fresh._breakdown(phases, tmp_path, output)
    assert out["total_s"] == 215.0 and out["includes_host_engine_install"]
    assert out["phases_s"]["image builds (side by side)"] == 52.0
    assert out["phases_s"]["tox: its environment and the harness's dependencies"] == 50.0
    assert out["phases_s"]["scenario suites and report"] == 98.0
    assert out["image_builds_s"] == {"docker-28.5": 50.0, "alpine": 20.0}
    assert out["tests"] == {"Fail": 1, "Known": 1, "Pass": 2}
    lines = fresh.contributors(out)
    assert lines[0] == "scenario suites and report: 98 s" and lines[-1] == "images built: docker-28.5 50 s, alpine 20 s"


def test_worker_transcripts_merge_into_one_and_stale_ones_go(tmp_path):
    since = time.time()
    for worker, text in (("gw10", "ten\n"), ("gw0", "zero\n"), ("gw1", "one\n"), ("gw2", "stale\n")):
        (tmp_path / f"transcript-{worker}.log").write_text(text)
    os.utime(tmp_path / "transcript-gw2.log", (since - 60, since - 60))  # an earlier run's worker
    (tmp_path / "bench-transcript-gw0.log").write_text("another run's\n")
    merge_worker_transcripts(tmp_path / "transcript.log", since)
    assert (tmp_path / "transcript.log").read_text() == "zero\none\nten\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bench-transcript-gw0.log", "transcript.log"]
