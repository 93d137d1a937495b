"""The fuzz harness's own pieces: the tar serializer, the outcome of an operation, reach by real ids."""
import io
import tarfile
from types import SimpleNamespace

from fixtures.fuzzing import BOUNDED, Finding, FuzzWorld, Outcome, operation_labels, tar_body, tar_of


def test_tar_serializer_packs_generated_values_and_passes_real_tars():
    packed = tar_body(None, {"any": "value"})
    assert tarfile.open(fileobj=io.BytesIO(packed)).getnames() == ["payload"]
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
    case = SimpleNamespace(operation=SimpleNamespace(path="/networks/{id}/connect"), path_parameters={"id": "0"},
                           body={"Container": "x"}, query=None)
    world.realize(case, "POST /networks/{id}/connect")
    assert case.path_parameters == {"id": "n1"}
    assert case.body == {"Container": "c0ffee"}


def test_every_operation_of_a_spec_is_listed_and_streams_are_bounded():
    spec = {"paths": {"/events": {"get": {}}, "/containers/{id}": {"delete": {}, "parameters": []}}}
    assert operation_labels(spec) == ["GET /events", "DELETE /containers/{id}"]
    assert "GET /events" in BOUNDED
