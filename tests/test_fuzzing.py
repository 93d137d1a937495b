"""The fuzz harness's own pieces: the tar serializer, the outcome of an operation, reach by real ids."""

import io
import re
import tarfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from fixtures.client.http import client_for
from fixtures.fuzz.cases import lacks, realize, send, tar_body
from fixtures.fuzz.runner import Finding, Outcome, operation_labels
from fixtures.fuzz.world import FuzzWorld
from fixtures.scenario.objects import tar_of


def test_tar_serializer_packs_generated_values_and_passes_real_tars():
    with tarfile.open(fileobj=io.BytesIO(tar_body(None, {"any": "value"}))) as packed:
        assert packed.getnames() == ["payload"]
    real = tar_of({"Dockerfile": b"FROM alpine\n"})
    assert tar_body(None, real) == real


def test_outcome_counts_cases_reach_and_findings_once_per_check():
    outcome = Outcome("GET /info")
    outcome.statuses.update({200: 3, 500: 1, "ReadTimeout": 1})
    outcome.add(Finding("GET /info", "Server error", "500", 500, "curl ..."))
    outcome.add(Finding("GET /info", "Server error", "500 again", 500, "curl ..."))
    assert outcome.reached == 3
    assert outcome.summary()["findings"] == {"Server error": 2}
    assert outcome.findings["Server error"].message == "500"


def test_realized_cases_name_real_objects_and_carry_bodies_that_can_succeed():
    world = FuzzWorld(api=None, registry_reachable=True, workload_tar=lambda: b"tar", plugin_tar=lambda name: b"plugin")
    world.ids = {"container": "c0ffee", "network": "n1"}
    case = SimpleNamespace(
        operation=SimpleNamespace(path="/networks/{id}/connect"),
        path_parameters={"id": "0"},
        body={"Container": "x"},
        query=None,
    )
    realize(case, "POST /networks/{id}/connect", world)
    assert case.path_parameters == {"id": "n1"}
    assert case.body == {"Container": "c0ffee"}


def test_every_operation_of_a_spec_is_listed():
    spec = {"paths": {"/events": {"get": {}}, "/containers/{id}": {"delete": {}, "parameters": []}}}
    assert operation_labels(spec) == ["GET /events", "DELETE /containers/{id}"]


class _EndlessEvents(BaseHTTPRequestHandler):
    """GET /v1.51/events as dockerd serves it: one chunk per event, never a last one."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        event = b'{"Type": "container", "Action": "start"}\n'
        try:
            for _ in range(100):  # 10 s at most: the server thread ends even if nobody hangs up
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:  # the client hung up, as it should
            pass

    def log_message(self, *_):
        pass


def test_a_streaming_operation_is_read_for_a_bounded_time(monkeypatch):
    monkeypatch.setattr("fixtures.fuzz.cases.STREAM_SECONDS", 0.5)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EndlessEvents)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api = client_for(f"tcp://127.0.0.1:{server.server_address[1]}")
    case = SimpleNamespace(
        operation=SimpleNamespace(schema=SimpleNamespace(base_path="/v1.51")),
        as_transport_kwargs=lambda base_url: {"method": "GET", "url": f"{base_url}/events"},
    )
    started = time.monotonic()
    try:
        response, bounded = send(case, api, "GET /events")
    finally:
        api.close()
        server.shutdown()
        server.server_close()
    assert bounded and response.status_code == 200
    assert time.monotonic() - started < 3, "the client did not hang up on an endless stream"
    assert response.content.startswith(b'{"Type": "container"')


class _Engine:
    """A fake engine API: (METHOD, path) -> (status, body); what the world asks for, in order."""

    def __init__(self, answers=None):
        self.answers = {
            ("GET", "/containers/fuzz-running/json"): (404, {"message": "no such container"}),
            ("DELETE", "/containers/fuzz-running"): (404, {}),
            ("POST", "/containers/create"): (201, {"Id": "c0ffee"}),
            ("POST", "/containers/c0ffee/start"): (204, None),
            ("POST", "/networks/create"): (201, {"Id": "n1"}),
            ("POST", "/volumes/create"): (201, {"Name": "fuzz-volume"}),
            ("POST", "/containers/c0ffee/exec"): (201, {"Id": "e1"}),
            ("POST", "/plugins/create"): (204, None),
            ("GET", "/info"): (200, {"Swarm": {"LocalNodeState": "inactive"}}),
            ("POST", "/swarm/init"): (200, "node1"),
            ("POST", "/secrets/create"): (201, {"ID": "s1"}),
            ("POST", "/configs/create"): (201, {"ID": "k1"}),
            ("POST", "/services/create"): (201, {"ID": "v1"}),
            ("GET", "/nodes"): (200, [{"ID": "node1"}]),
            ("GET", "/tasks"): (200, [{"ID": "t1"}]),
            **(answers or {}),
        }
        self.asked = []
        self.bodies = {}

    def request(self, method, path, **kwargs):
        self.asked.append(f"{method} {path}")
        self.bodies[f"{method} {path}"] = kwargs.get("json")
        status, body = self.answers.get((method, path), (404, {"message": "not found"}))
        return SimpleNamespace(status_code=status, json=lambda: body, text=str(body))

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def _world(api, monkeypatch, **kwargs):
    monkeypatch.setattr("fixtures.fuzz.world.ensure_workload", lambda *_: None)
    return FuzzWorld(api, True, lambda: b"tar", lambda name: b"plugin", **kwargs)


def test_the_world_names_the_objects_it_made(monkeypatch):
    ids = _world(_Engine(), monkeypatch).ensure()
    assert ids == {
        "image": "alpine:latest",
        "container": "c0ffee",
        "network": "n1",
        "volume": "fuzz-volume",
        "exec": "e1",
        "plugin": "fuzz-plugin:latest",
        "secret": "s1",
        "config": "k1",
        "service": "v1",
        "node": "node1",
        "task": "t1",
    }


@pytest.mark.parametrize(
    "step, answer",
    [
        (("POST", "/containers/c0ffee/start"), (500, {"message": "cannot start"})),
        (("POST", "/containers/create"), (409, {"message": "name in use"})),
        (("POST", "/containers/c0ffee/exec"), (409, {"message": "container not running"})),
        (("POST", "/plugins/create"), (500, {"message": "no space left"})),
        (("POST", "/swarm/init"), (503, {"message": "swarm init failed"})),
        (("POST", "/secrets/create"), (500, {"message": "raft"})),
        (("GET", "/nodes"), (503, {"message": "not a manager"})),
    ],
)
def test_a_step_the_engine_refuses_stops_the_world_with_its_status(monkeypatch, step, answer):
    world = _world(_Engine({step: answer}), monkeypatch)
    with pytest.raises(RuntimeError, match=re.escape(f"{step[0]} {step[1]}: {answer[0]}")):
        world.ensure()


def test_areas_the_engine_lacks_are_not_made_and_their_ids_stay_generated(monkeypatch):
    """Podman: no plugins, no swarm mode, but secrets of its own; configs answer 503."""
    api = _Engine({("POST", "/configs/create"): (503, {"message": "swarm is not supported"})})
    world = _world(api, monkeypatch, unsupported={"plugins", "swarm"})
    assert set(world.ensure()) == {"image", "container", "network", "volume", "exec", "secret"}
    assert world.missing == {
        "config": "POST /configs/create: 503 {'message': 'swarm is not supported'}",
        "pushed-image": "the engine cannot reach the run's registry",
    }
    assert not [call for call in api.asked if "/plugins" in call or "/swarm" in call or "/services" in call]
    case = SimpleNamespace(
        operation=SimpleNamespace(path="/configs/{id}"), path_parameters={"id": "generated"}, body=None, query=None
    )
    realize(case, "GET /configs/{id}", world)
    assert case.path_parameters == {"id": "generated"}


def test_a_generated_short_hex_id_names_no_object_by_prefix():
    """ "0" would name whichever object's id starts with 0 in a run: findings would change from run to run."""
    from fixtures.fuzz.cases import unambiguous

    case = SimpleNamespace(path_parameters={"id": "0", "name": "fuzz-running"})
    unambiguous(case)
    assert case.path_parameters == {"id": "0-none", "name": "fuzz-running"}


@pytest.mark.parametrize(
    ("method", "content", "bounded", "checked"),
    [
        ("POST", b"", False, False),  # a 204, a 304, an empty 200: no content, no Content-Type asked for
        ("DELETE", b"", False, False),
        ("HEAD", b"", False, True),  # a HEAD answer carries the Content-Type of its GET
        ("GET", b"[]", False, True),
        ("GET", b"", True, True),  # a stream cut short: content may have been to come
    ],
)
def test_the_content_type_is_checked_only_where_an_answer_has_content(method, content, bounded, checked):
    from schemathesis.checks import content_type_conformance

    from fixtures.fuzz.runner import _checks

    chosen = _checks(SimpleNamespace(method=method), SimpleNamespace(content=content, status_code=200), bounded)
    assert (content_type_conformance in chosen) is checked


def test_the_world_container_stops_at_once(monkeypatch):
    """sleep as PID 1 ignores SIGTERM: a generated stop or restart timeout (t=1541) would outlast the client."""
    engine = _Engine()
    _world(engine, monkeypatch).ensure()
    assert engine.bodies["POST /containers/create"]["StopSignal"] == "SIGKILL"


def test_a_realized_update_carries_the_objects_current_version_and_spec(monkeypatch):
    spec = {"Name": "fuzz-service", "TaskTemplate": {"ContainerSpec": {"Image": "alpine:latest"}}}
    api = _Engine({("GET", "/services/v1"): (200, {"ID": "v1", "Version": {"Index": 7}, "Spec": spec})})
    world = _world(api, monkeypatch)
    world.ids = {"service": "v1"}
    case = SimpleNamespace(
        operation=SimpleNamespace(path="/services/{id}/update"),
        path_parameters={"id": "0"},
        body={"Name": "x"},
        query={"version": -1, "rollback": "previous"},
        headers=None,
    )
    realize(case, "POST /services/{id}/update", world)
    assert (case.path_parameters, case.query, case.body) == ({"id": "v1"}, {"version": 7}, spec)


def test_a_realized_case_puts_the_object_in_the_state_it_needs(monkeypatch):
    """Unpause needs a paused container; node removal names the worker node, forced; no API: nothing prepared."""
    api = _Engine()
    world = _world(api, monkeypatch)
    world.ids = {"container": "c0ffee", "node": "m1", "worker-node": "w1"}
    unpause = SimpleNamespace(operation=SimpleNamespace(path="/containers/{id}/unpause"), path_parameters={"id": "0"})
    unpause.body, unpause.query, unpause.headers = None, None, None
    realize(unpause, "POST /containers/{id}/unpause", world)
    assert api.asked == ["POST /containers/c0ffee/pause"] and unpause.path_parameters == {"id": "c0ffee"}
    remove = SimpleNamespace(operation=SimpleNamespace(path="/nodes/{id}"), path_parameters={"id": "0"})
    remove.body, remove.query, remove.headers = None, {"force": False}, None
    realize(remove, "DELETE /nodes/{id}", world)
    assert (remove.path_parameters, remove.query) == ({"id": "w1"}, {"force": "true"})
    world.api = None
    assert world.prepare("POST /containers/{id}/unpause") is None


def test_what_an_operation_needs_and_the_world_lacks_is_named(monkeypatch):
    world = _world(_Engine(), monkeypatch)
    world.missing = {"pushed-image": "the engine cannot reach the run's registry", "config": "503"}
    assert lacks("GET /distribution/{name}/json", world) == {
        "pushed-image": "the engine cannot reach the run's registry"
    }
    assert lacks("POST /configs/{id}/update", world) == {"config": "503"}
    assert lacks("GET /info", world) == {}
