"""Scenario assertions that must be able to fail: run against small fakes that break them."""

import inspect
from types import SimpleNamespace

import pytest

from suites import test_versions


class _Api:
    def at_version(self, version):
        return self


def _call(listed):
    answers = {"GET /version": {"ApiVersion": "1.51"}, "GET /containers/json": listed}
    return lambda operation, status, **_: answers[operation]


def _run(test, **fixtures):
    """The scenario with the fixtures it asks for, as pytest would give them."""
    return test(**{name: fixtures[name] for name in inspect.signature(test).parameters})


@pytest.mark.parametrize("prefix", ["documented", "engine", "none"])
def test_version_prefixes_fail_when_the_made_container_is_not_listed(prefix):
    fixtures = dict(
        api=_Api(),
        engine=SimpleNamespace(api_version="1.51"),
        prefix=prefix,
        made=SimpleNamespace(running=lambda *a, **k: "c1"),
    )
    _run(test_versions.test_version_prefixes_are_served, **fixtures, call=_call([{"Id": "c1"}, {"Id": "c2"}]))
    with pytest.raises(AssertionError):
        _run(test_versions.test_version_prefixes_are_served, **fixtures, call=_call([{"Id": "c2"}]))
