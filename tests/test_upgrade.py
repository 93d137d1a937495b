"""The upgrade view, its tags and the gate that shares it, on small recorded answers of each change kind."""

import json

import pytest
from requests.structures import CaseInsensitiveDict

from fixtures.client.answers import variant
from openapi.shapes import body_shape, fold, header_classes, value_classes
from reports import __main__ as cli
from reports import upgrade
from reports.compare import compare

JSON = {"Content-Type": "application/json", "Api-Version": "1.51", "Server": "Docker/28.5.2 (linux)"}


def _shape(engine, api, operation, body=None, *, status=200, test="test_t", query="", headers=JSON, enums=()):
    """A shape record as the client records one answer (fixtures/client/answers.py)."""
    method, path = operation.split(" ", 1)
    record = {
        "engine": engine,
        "operation": operation,
        "status": status,
        "api": api,
        "test": test,
        "variant": variant(f"{path}?{query}"),
        "request": path + (f"?{query}" if query else ""),
    }
    classes = {"headers": header_classes(CaseInsensitiveDict(headers))}
    if body is not None:
        classes.update(fields=body_shape(body), values=value_classes(body, set(enums)))
    return fold(record, classes)


def _run(*shapes, engines=(("docker-20.10", "1.41"), ("docker-28.5", "1.51"))) -> dict:
    return {
        "format": 1,
        "run": {},
        "engines": {name: {"version": name, "api_version": api} for name, api in engines},
        "tests": [_test(name) for name, _ in engines],
        "shapes": list(shapes),
        "errata": [],
        "versions": sorted({s["api"] for s in shapes}),
    }


def _test(engine: str) -> dict:
    return {
        "id": f"suites/test_system.py::test_df[{engine}-unix]",
        "engine": engine,
        "status": "Pass",
        "schema_mismatches": [],
    }


def _only(view: dict, kind: str) -> list[dict]:
    return [e for e in view["changes"] if e["kind"] == kind]


# GET /images/json as docker-20.10 answers it at 1.41 and docker-28.5 at 1.51 (an untagged image among them)
IMAGES_OLD = [
    {"Id": "sha256:aa", "RepoTags": ["alpine:latest"], "Containers": -1, "VirtualSize": 8, "Size": 8},
    {"Id": "sha256:bb", "RepoTags": ["<none>:<none>"], "Containers": -1, "VirtualSize": 8, "Size": 8},
]
IMAGES_NEW = [
    {"Id": "sha256:aa", "RepoTags": ["alpine:latest"], "Containers": 2, "Size": 8},
    {"Id": "sha256:bb", "RepoTags": [], "Containers": 0, "Size": 8},
]


def test_a_field_gone_only_at_the_newer_version_is_removed_versioned():
    view = upgrade.changes(
        run := _run(
            _shape("docker-20.10", "1.41", "GET /images/json", IMAGES_OLD),
            _shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW),
            _shape("docker-28.5", "1.41", "GET /images/json", IMAGES_OLD),
        ),
        "docker-20.10",
        run,
        "docker-28.5",
    )
    removed = _only(view, "removed")
    assert [(e["subject"], e["versioned"], e["tests"]) for e in removed] == [
        ("/*/VirtualSize", "versioned", ["test_t"])
    ]
    assert view["changes"][0]["kind"] == "removed"  # what breaks clients first


def test_placeholders_and_sentinels_that_change_meaning_are_value_class_changes():
    run = _run(
        _shape("docker-20.10", "1.41", "GET /images/json", IMAGES_OLD),
        _shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW),
    )
    view = upgrade.changes(run, "docker-20.10", run, "docker-28.5")
    changed = {e["subject"]: (e["before"], e["after"]) for e in _only(view, "value class changed")}
    assert changed["/*/Containers"] == ("-1", "n")  # a -1 placeholder became a real count
    assert changed["/*/RepoTags/*"] == ("<none>|s", "s")  # ["<none>:<none>"] became []
    assert "/*/RepoTags" not in changed  # a list that may be empty now and then is no change
    assert view["pinned"] is False and {e["versioned"] for e in view["changes"]} == {None}


def test_a_changed_status_for_the_same_request_is_unversioned_when_the_old_version_changes_too():
    bad_body = "POST /containers/create"
    error = {"message": "invalid JSON"}
    run = _run(
        _shape("docker-20.10", "1.41", bad_body, error, status=500, test="test_bad_json"),
        _shape("docker-28.5", "1.51", bad_body, error, status=400, test="test_bad_json"),
        _shape("docker-28.5", "1.41", bad_body, error, status=400, test="test_bad_json"),
    )
    (entry,) = upgrade.changes(run, "docker-20.10", run, "docker-28.5")["changes"]
    assert (entry["kind"], entry["before"], entry["after"], entry["versioned"]) == (
        "status changed",
        "500",
        "400",
        "unversioned",
    )


def test_retyped_and_null_fields_are_told_apart():
    old = {"Name": "bridge", "Scope": "local", "IPAM": {"Config": [{"Subnet": "172.17.0.0/16"}]}}
    new = {"Name": "bridge", "Scope": 1, "IPAM": {"Config": None}}
    run = _run(
        _shape("docker-20.10", "1.41", "GET /networks/{id}", old),
        _shape("docker-28.5", "1.51", "GET /networks/{id}", new),
    )
    view = upgrade.changes(run, "docker-20.10", run, "docker-28.5")
    assert [(e["subject"], e["before"], e["after"]) for e in _only(view, "retyped")] == [("/Scope", "string", "number")]
    assert [e["subject"] for e in _only(view, "null where it was not")] == ["/IPAM/Config"]
    assert [e["kind"] for e in view["changes"]][:2] == ["retyped", "null where it was not"]


def test_headers_that_appear_go_or_change_and_stream_content_types():
    ping_old = {"Content-Type": "text/plain; charset=utf-8", "Api-Version": "1.41", "Docker-Experimental": "false"}
    ping_new = {**ping_old, "Swarm": "inactive", "Builder-Version": "2"}
    attach_old = {"Content-Type": "application/vnd.docker.raw-stream"}
    attach_new = {"Content-Type": "application/vnd.docker.multiplexed-stream"}
    run = _run(
        _shape("docker-20.10", "1.41", "GET /_ping", headers=ping_old),
        _shape("docker-28.5", "1.51", "GET /_ping", headers=ping_new),
        _shape("docker-20.10", "1.41", "POST /containers/{id}/attach", headers=attach_old, status=101),
        _shape("docker-28.5", "1.51", "POST /containers/{id}/attach", headers=attach_new, status=101),
        _shape("docker-28.5", "1.41", "POST /containers/{id}/attach", headers=attach_old, status=101),
    )
    view = upgrade.changes(run, "docker-20.10", run, "docker-28.5")
    assert [e["subject"] for e in _only(view, "header added")] == ["Builder-Version", "Swarm"]
    (changed,) = _only(view, "header changed")
    assert changed["after"] == "application/vnd.docker.multiplexed-stream" and changed["versioned"] == "versioned"
    gone = _run(
        _shape("docker-20.10", "1.41", "GET /_ping", headers=ping_new), _shape("docker-28.5", "1.51", "GET /_ping")
    )
    assert {
        e["subject"] for e in _only(upgrade.changes(gone, "docker-20.10", gone, "docker-28.5"), "header removed")
    } >= {
        "Swarm",
        "Docker-Experimental",
    }


def test_an_added_field_is_documented_when_the_spec_diff_adds_it_and_unversioned_changes_come_first():
    run = _run(
        _shape("docker-20.10", "1.41", "GET /images/{name}/json", {"Id": "sha256:aa"}),
        _shape("docker-28.5", "1.51", "GET /images/{name}/json", {"Id": "sha256:aa", "Descriptor": {"size": 1}}),
        _shape("docker-28.5", "1.41", "GET /images/{name}/json", {"Id": "sha256:aa", "Extra": True}),
    )

    def spec(version):
        image = {"type": "object", "properties": {"Id": {"type": "string"}}}
        if version == "1.51":
            image["properties"]["Descriptor"] = {"type": "object"}
        return {"paths": {"/images/{name}/json": {"get": {"responses": {"200": {"schema": image}}}}}}

    view = upgrade.changes(run, "docker-20.10", run, "docker-28.5", spec)
    added = {e["subject"]: (e["versioned"], e["documented"]) for e in _only(view, "added")}
    assert added == {"/Extra": ("unversioned", False), "/Descriptor": ("versioned", True)}
    assert [e["subject"] for e in view["changes"]] == ["/Extra", "/Descriptor"]  # pinned clients' break first


def test_the_gate_compares_the_same_request_and_agrees_with_the_view():
    """A shape of GET /system/df?type=volume is not set against one of a plain GET /system/df."""
    df = {"LayersSize": 1, "Images": [], "Containers": [], "Volumes": [{"Name": "v"}], "BuildCache": []}
    only_volumes = {"Volumes": [{"Name": "v"}]}
    old = _run(
        _shape("docker-20.10", "1.41", "GET /system/df", df, test="test_df"),
        _shape("docker-20.10", "1.41", "GET /system/df", only_volumes, test="test_df_type", query="type=volume"),
        engines=(("docker-20.10", "1.41"),),
    )
    new = _run(
        _shape("docker-28.5", "1.51", "GET /system/df", only_volumes, test="test_df_type", query="type=volume"),
        _shape("docker-28.5", "1.51", "GET /system/df", {**df, "LayersSize": "1"}, test="test_df"),
        engines=(("docker-28.5", "1.51"),),
    )
    gate = compare(old, new)
    assert gate.removed_fields == ["docker-28.5 GET /system/df 200 /LayersSize: type number -> string; seen in test_df"]
    view = upgrade.changes(old, "docker-20.10", new, "docker-28.5")
    assert [(e["kind"], e["subject"]) for e in view["changes"]] == [("retyped", "/LayersSize")]


def test_the_cli_lists_each_change_once_with_both_tags_and_as_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("openapi.specs.CACHE_DIR", tmp_path)  # no spec files: nothing documented, nothing fetched
    run = _run(
        _shape("docker-20.10", "1.41", "GET /images/json", IMAGES_OLD, test="test_a"),
        _shape("docker-20.10", "1.41", "GET /images/json", IMAGES_OLD, test="test_b", query="all=1"),
        _shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW, test="test_a"),
        _shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW, test="test_b", query="all=1"),
    )
    (tmp_path / "r.json").write_text(json.dumps(run))
    args = ["upgrade", str(tmp_path / "r.json"), "--from", "docker-20.10", "--to", "docker-28.5"]
    assert cli.main([*args, "--spec-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    removed = [line for line in out if line.startswith("removed")]
    assert len(removed) == 1 and "/*/VirtualSize" in removed[0] and "test_a, test_b" in removed[0]
    assert "[versioned?, documented?]" in removed[0]  # no request at 1.41 on docker-28.5, no spec files
    assert cli.main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changes"][0]["requests"] == ["/images/json", "/images/json?all=1"]
    assert cli.main(["upgrade", str(tmp_path / "r.json"), "--from", "docker-26.1", "--to", "docker-28.5"]) == 2


def test_the_default_pairs_are_the_docker_chain_and_everything_to_the_newest_docker():
    engines = ["docker-20.10", "docker-26.1", "docker-28.5", "podman-5.8"]
    assert upgrade.default_pairs(engines) == [
        ("docker-20.10", "docker-26.1"),
        ("docker-26.1", "docker-28.5"),
        ("docker-20.10", "docker-28.5"),
        ("podman-5.8", "docker-28.5"),
    ]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/system/df?type=volume", "type=volume"),
        ("/containers/json?all=1&filters=%7B%22label%22%3A%5B%22x%22%5D%7D", "all=1&filters"),
        ("/images/alpine/json", ""),
        ("/containers/abc/logs?stdout=1&since=1733170000", "since&stdout=1"),
    ],
)
def test_a_request_variant_keeps_the_query_values_that_name_a_kind_of_request(path, expected):
    assert variant(path) == expected


def test_value_classes_keep_only_what_is_not_per_run():
    body = {"Running": False, "Pid": 0, "ExitCode": -1, "Names": [], "Status": "exited", "Id": "abc", "Mounts": [{}]}
    assert value_classes(body, {"/Status"}) == {
        "/Running": "false",
        "/ExitCode": "-1",
        "/Names": "[]",
        "/Status": '"exited"',
    }


class _Client:
    """What AskedAgain needs of an ApiClient: its version, and a request at another version (kept, not sent)."""

    def __init__(self, sent, api_version="1.51"):
        self.sent, self.api_version = sent, api_version

    def at_version(self, version):
        return _Client(self.sent, version)

    def request(self, method, path, **keywords):
        self.sent.append((self.api_version, method, path))


def _answer(method, path, status, body=b'{"Id": "a"}', content_type="application/json"):
    import requests

    response = requests.Response()
    response.status_code, response._content = status, body
    response.headers = CaseInsensitiveDict({"Content-Type": content_type})
    response.request = requests.Request(method, "http://docker.sock" + path).prepare()
    return response


def test_answers_are_asked_again_at_the_older_engines_versions_once_and_only_where_that_touches_nothing():
    from types import SimpleNamespace

    from fixtures.client.pinned import AskedAgain, pinned_versions

    assert pinned_versions("1.51", "1.24") == ["1.41", "1.44", "1.45"]
    assert pinned_versions("1.45", "1.24") == ["1.41", "1.44"] and pinned_versions("1.41", "1.24") == []
    recorded, sent = [], []
    transcript = SimpleNamespace(phase="call", test="t")
    again = AskedAgain(transcript, lambda response, *rest: recorded.append(response.status_code), ["1.41"])
    again.client = _Client(sent)
    again(_answer("GET", "/v1.51/containers/a/json", 200), 0.001)
    again(_answer("GET", "/v1.51/containers/a/json", 200), 0.001)  # a poll's same answer: asked once
    again(_answer("GET", "/v1.51/containers/a/json", 404, b'{"message": "gone"}'), 0.001)
    again(_answer("POST", "/v1.51/containers/a/start", 204, b""), 0.001)  # it did something: not again
    again(_answer("DELETE", "/v1.51/containers/b", 404, b'{"message": "no"}'), 0.001)
    again(_answer("GET", "/v1.41/containers/a/json", 200), 0.001)  # the test's own pinned call
    transcript.phase = "teardown"
    again(_answer("GET", "/v1.51/volumes", 200), 0.001)
    assert recorded == [200, 200, 404, 204, 404, 200, 200]
    assert sent == [
        ("1.41", "GET", "/containers/a/json"),
        ("1.41", "GET", "/containers/a/json"),
        ("1.41", "DELETE", "/containers/b"),
    ]


def test_a_sample_at_the_older_version_changes_the_status_only_with_a_status_the_old_engine_never_gave():
    a = {200: {"fields": {}}, 404: {"fields": {}}}
    assert upgrade.request_changes(a, {200: {"fields": {}}}, sample=True) == []
    assert upgrade.request_changes(a, {400: {"fields": {}}}, sample=True)[0][:3] == ("status changed", None, "status")


def test_the_report_shows_each_pair_with_the_breaking_kinds_unfolded_while_they_are_few():
    from reports import html

    removed = [{"Id": "a", **{f"Field{n}": n for n in range(30)}}]
    run = _run(
        _shape("docker-20.10", "1.41", "GET /images/json", IMAGES_OLD),
        _shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW),
        _shape("docker-20.10", "1.41", "GET /info", removed[0]),
        _shape("docker-28.5", "1.51", "GET /info", {"Id": "a"}),
    )
    (pair,) = html._upgrade_data(run, None)
    assert (pair["from"], pair["to"], [k["kind"] for k in pair["kinds"]]) == (
        "docker-20.10",
        "docker-28.5",
        ["removed", "value class changed"],
    )
    assert not pair["kinds"][0]["open"]  # 31 removed fields: more than two screens, folded with their count
    section = str(html._sections().upgrade([pair]))
    assert "docker-20.10</b> (API 1.41) → <b>docker-28.5</b> (API 1.51): 33 changes" in section


def test_two_nights_of_one_engine_compare_at_one_version_where_every_change_meets_pinned_clients():
    night = _run(_shape("docker-28.5", "1.51", "GET /images/json", IMAGES_OLD), engines=(("docker-28.5", "1.51"),))
    later = _run(_shape("docker-28.5", "1.51", "GET /images/json", IMAGES_NEW), engines=(("docker-28.5", "1.51"),))
    view = upgrade.changes(night, "docker-28.5", later, "docker-28.5")
    assert view["pinned"] and {e["versioned"] for e in view["changes"]} == {"unversioned"}
    assert compare(night, later).removed_fields[0].startswith("docker-28.5 GET /images/json 200 -/*/VirtualSize")
