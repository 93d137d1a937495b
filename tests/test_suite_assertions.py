"""Scenario assertions that must be able to fail: run against small fakes that break them."""
import inspect
from types import SimpleNamespace

import pytest

from suites import test_versions


class _Api:
    def at_version(self, version):
        return self

    def get(self, path, **_):
        return SimpleNamespace(path=path)


def _check(listed):
    answers = {"/version": {"ApiVersion": "1.51"}, "/containers/json": listed}
    return lambda response, status, operation: answers[response.path]


def _run(test, **fixtures):
    """The scenario with the fixtures it asks for, as pytest would give them."""
    return test(**{name: fixtures[name] for name in inspect.signature(test).parameters})


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_fail_when_the_made_container_is_not_listed(prefix):
    fixtures = dict(api=_Api(), engine=SimpleNamespace(api_version="1.51"), prefix=prefix,
                    made=SimpleNamespace(running=lambda *a, **k: "c1"))
    _run(test_versions.test_version_prefixes_are_served, **fixtures, check=_check([{"Id": "c1"}, {"Id": "c2"}]))
    with pytest.raises(AssertionError):
        _run(test_versions.test_version_prefixes_are_served, **fixtures, check=_check([{"Id": "c2"}]))
