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
        engine=SimpleNamespace(api_version="1.51", version={"MinAPIVersion": "1.24"}),
        prefix=prefix,
        made=SimpleNamespace(running=lambda *a, **k: "c1"),
    )
    _run(test_versions.test_version_prefixes_are_served, **fixtures, call=_call([{"Id": "c1"}, {"Id": "c2"}]))
    with pytest.raises(AssertionError):
        _run(test_versions.test_version_prefixes_are_served, **fixtures, call=_call([{"Id": "c2"}]))


class _Refusing:
    """An engine's answers at each version: moby's refusal below MINIMUM, else 200."""

    def __init__(self, minimum: str, message=test_versions.too_old_message, status: int = 400):
        self.minimum, self.message, self.status, self.version = minimum, message, status, None

    def at_version(self, version):
        return SimpleNamespace(get=lambda path: self._answer(version))

    def _answer(self, version):
        if version and tuple(map(int, version.split("."))) < tuple(map(int, self.minimum.split("."))):
            body = {"message": self.message(version, self.minimum)}
            return SimpleNamespace(status_code=self.status, json=lambda: body)
        return SimpleNamespace(status_code=200, json=lambda: {"ApiVersion": "1.51"})


def _floor_engine(minimum: str):
    return SimpleNamespace(name="docker-28.5-floor-1.44", api_version="1.51", version={"MinAPIVersion": minimum})


def test_versions_below_the_minimum_must_be_refused_with_moby_s_status_and_message():
    test = test_versions.test_versions_from_the_documented_one_below_the_minimum_are_refused
    test(_Refusing("1.44"), _floor_engine("1.44"))
    with pytest.raises(AssertionError):  # served at 1.41 although the floor is 1.44
        test(_Refusing("1.24"), _floor_engine("1.44"))
    with pytest.raises(AssertionError):  # refused with another status
        test(_Refusing("1.44", status=500), _floor_engine("1.44"))
    with pytest.raises(AssertionError):  # refused with another text
        test(_Refusing("1.44", message=lambda v, m: f"client version {v} is too old"), _floor_engine("1.44"))
    with pytest.raises(pytest.skip.Exception):  # nothing from 1.41 lies below 1.24
        test(_Refusing("1.24"), _floor_engine("1.24"))


def test_the_documented_prefix_below_the_minimum_must_be_refused():
    fixtures = dict(
        engine=_floor_engine("1.44"), prefix="documented", made=SimpleNamespace(running=lambda *a, **k: "c1")
    )
    _run(test_versions.test_version_prefixes_are_served, api=_Refusing("1.44"), call=None, **fixtures)
    with pytest.raises(AssertionError):
        _run(test_versions.test_version_prefixes_are_served, api=_Refusing("1.44", status=200), call=None, **fixtures)
