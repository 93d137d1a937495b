"""The scenario helpers: one call per documented request, objects registered as they are made."""

from types import SimpleNamespace

import pytest

from fixtures.scenario.objects import Call, Made, tar_of


class _Api:
    """Answers every request with the next canned (status, body) and remembers what was sent."""

    def __init__(self, *answers):
        self.answers, self.sent = list(answers), []

    def request(self, method, path, **keywords):
        self.sent.append((method, path, keywords))
        status, body = self.answers.pop(0)
        return SimpleNamespace(status_code=status, body=body)

    def delete(self, path, **_):
        self.sent.append(("DELETE", path, {}))
        return SimpleNamespace(status_code=204)

    def post(self, path, **_):
        return SimpleNamespace(status_code=204)


def _check(response, status, operation):
    assert response.status_code == status, f"{operation}: expected {status}, got {response.status_code}"
    return response.body


def test_a_call_names_its_operation_once_and_fills_the_path():
    api = _Api((200, {"Id": "c1"}))
    body = Call(api, _check)("GET /containers/{id}/json", 200, id="c1", params={"size": 1})
    assert body == {"Id": "c1"}
    assert api.sent == [("GET", "/containers/c1/json", {"params": {"size": 1}})]


def test_a_call_fails_on_another_status():
    with pytest.raises(AssertionError, match="POST /containers/{id}/start: expected 204, got 409"):
        Call(_Api((409, None)), _check)("POST /containers/{id}/start", 204, id="c1")


def test_made_objects_are_registered_as_they_are_made_and_removed_at_the_end():
    api = _Api((201, {"Id": "c1"}), (201, {"Id": "n1-id"}), (201, {"Name": "v1"}), (200, {"Name": "v2"}))
    made = Made(Call(api, _check), {"run": "r"})
    assert made.container(["true"]) == "c1"
    assert made.network("n1") == "n1-id"
    assert made.volume("v1") == "v1"
    with pytest.raises(AssertionError, match="expected 201, got 200"):
        made.volume("v2")  # an answer that fails its check: the volume was made all the same
    assert api.sent[0][2]["json"]["Labels"] == {"run": "r"}, "everything made carries the run's labels"
    assert made.cleanup() == []
    removed = [path for method, path, _ in api.sent if method == "DELETE"]
    assert removed == ["/containers/c1?force=1&v=1", "/networks/n1", "/volumes/v1?force=1", "/volumes/v2?force=1"]


def test_the_tar_builder_packs_its_files():
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(tar_of({"Dockerfile": b"FROM alpine\n"}))) as tar:
        assert tar.extractfile("Dockerfile").read() == b"FROM alpine\n"


def test_a_version_gate_names_its_requirement(pytester):
    pytester.makeconftest("""
import types, pytest
@pytest.fixture
def engine():
    return types.SimpleNamespace(api_version="1.41")
""")
    pytester.makepyfile("""
import pytest
@pytest.mark.requires_api("1.44")
def test_new(engine): pass
@pytest.mark.requires_api("1.41")
def test_old(engine): pass
""")
    result = pytester.runpytest_inprocess(
        "-p",
        "fixtures.options",
        "-p",
        "fixtures.scenario.plugin",
        "-p",
        "no:cacheprovider",
        "-rs",
        "-o",
        "markers=requires_api(version): gate",
    )
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*requires API 1.44 (called at 1.41)*"])
