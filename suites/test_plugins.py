"""Plugins: a plugin built here is pushed to the run's registry, pulled with its privileges, enabled, disabled,
removed."""

import pytest

from fixtures.scenario.objects import json_lines

pytestmark = pytest.mark.plugins


@pytest.fixture
def pushed_plugin(api, engine, engine_pool, made):
    """A plugin in the run's registry (registry:5000/NAME:latest) and no longer in the engine."""
    if engine.registry is None:
        pytest.skip(f"{engine.name} cannot reach the run's registry to push a plugin to")
    remote = f"{engine.registry.removeprefix('http://')}/{made.name('plugin')}:latest"
    made.plugin(remote, engine_pool.plugin_tar(remote))
    pushed = api.post(f"/plugins/{remote}/push", timeout=120)
    errors = [m["error"] for m in json_lines(pushed) if "error" in m]
    assert pushed.status_code == 200 and not errors, (
        f"harness: push {pushed.status_code}: {errors or pushed.text[:300]}"
    )
    assert api.delete(f"/plugins/{remote}").status_code == 200
    return remote


def test_pull_enable_disable_remove(api, made, call, pushed_plugin):
    """GET /plugins/privileges, POST /plugins/pull, enable, disable, DELETE: each seen in GET /plugins."""
    remote = pushed_plugin
    assert api.get(f"/plugins/{remote}/json").status_code == 404
    privileges = call("GET /plugins/privileges", 200, params={"remote": remote})
    assert {"Name": "network", "Description": "permissions to access a network", "Value": ["host"]} in privileges

    pulled = api.post("/plugins/pull", params={"remote": remote}, json=privileges, timeout=120)
    assert pulled.status_code == 200
    assert not [m for m in json_lines(pulled) if "error" in m], pulled.text[-300:]
    plugin = next(p for p in call("GET /plugins", 200) if p["Name"] == remote)
    assert plugin["Enabled"] is False, "a pulled plugin waits to be enabled"
    assert plugin["Config"]["Interface"]["Socket"] == "conformance.sock"

    assert api.post(f"/plugins/{remote}/enable", params={"timeout": 30}, timeout=60).status_code == 200
    assert call("GET /plugins/{name}/json", 200, name=remote)["Enabled"] is True
    assert api.delete(f"/plugins/{remote}").status_code == 409, "an enabled plugin is removed only with force"

    assert api.post(f"/plugins/{remote}/disable", timeout=60).status_code == 200
    assert api.get(f"/plugins/{remote}/json").json()["Enabled"] is False
    call("DELETE /plugins/{name}", 200, name=remote)
    assert api.get(f"/plugins/{remote}/json").status_code == 404
    assert remote not in [p["Name"] for p in api.get("/plugins").json()]


def test_pull_without_privileges_is_refused(api, made, pushed_plugin):
    """A pull whose body does not grant the plugin's privileges installs nothing."""
    pulled = api.post("/plugins/pull", params={"remote": pushed_plugin}, json=[], timeout=120)
    assert pulled.status_code == 200, "the refusal comes in the progress stream"
    assert [m["error"] for m in json_lines(pulled) if "error" in m] == ["incorrect privileges"], pulled.text[-300:]
    assert api.get(f"/plugins/{pushed_plugin}/json").status_code == 404


def test_unknown_plugin_is_404(api, made):
    assert api.get("/plugins/no-such-plugin:latest/json").status_code == 404
    assert api.post("/plugins/no-such-plugin:latest/enable", params={"timeout": 0}).status_code == 404
    assert api.post("/plugins/no-such-plugin:latest/disable").status_code == 404
    assert api.delete("/plugins/no-such-plugin:latest").status_code == 404


def test_enable_timeout_is_optional(api, made, pushed_plugin):
    """POST /plugins/{name}/enable documents timeout as optional (default 0)."""
    privileges = api.get("/plugins/privileges", params={"remote": pushed_plugin}).json()
    pulled = api.post("/plugins/pull", params={"remote": pushed_plugin}, json=privileges, timeout=120)
    assert pulled.status_code == 200 and "error" not in pulled.text
    enabled = api.post(f"/plugins/{pushed_plugin}/enable", timeout=60)
    assert enabled.status_code == 200, enabled.text
