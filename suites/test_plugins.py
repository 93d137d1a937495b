"""Plugins: a plugin built here is pushed to the run's registry, pulled with its privileges, enabled, disabled,
removed."""

import pytest

from fixtures.scenario.managed_plugin import plugin_context
from fixtures.scenario.plugin import registry_of
from fixtures.scenario.streams import check_stream, stream_errors
from reports.contract import harness

pytestmark = pytest.mark.plugins


def push_plugin(api, engine_pool, made, remote: str) -> str:
    """The plugin REMOTE made here, pushed to the run's registry, and no longer in the engine."""
    made.plugin(remote, plugin_context(engine_pool.plugin_rootfs(), remote))
    pushed = api.post(f"/plugins/{remote}/push", timeout=120)
    errors = stream_errors(pushed)
    assert pushed.status_code == 200 and not errors, harness(
        f"push {pushed.status_code}: {errors or pushed.text[:300]}"
    )
    assert api.delete(f"/plugins/{remote}").status_code == 200
    return remote


@pytest.fixture(scope="session")
def _in_registry() -> dict:
    """(engine pool, engine, tag) -> the plugin pushed to the run's registry: pushed once, then only pulled."""
    return {}


@pytest.fixture
def pushed_plugin(api, engine, engine_pool, made, _in_registry):
    """A plugin in the run's registry (registry:5000/NAME:latest) and not in the engine: pushed by the engine's
    first test that needs it; every test pulls it under its own reference and removes it again."""
    registry = registry_of(engine)
    key = (id(engine_pool), engine.name, "latest")
    if key not in _in_registry:
        remote = f"{registry}/{made.name('plugin')}:latest"
        _in_registry[key] = push_plugin(api, engine_pool, made, remote)
    return _in_registry[key]


@pytest.fixture
def second_tag(api, engine, engine_pool, made, pushed_plugin, _in_registry):
    """The same plugin under the tag v2 in the run's registry, pushed once per engine."""
    key = (id(engine_pool), engine.name, "v2")
    if key not in _in_registry:
        _in_registry[key] = push_plugin(api, engine_pool, made, pushed_plugin.rsplit(":", 1)[0] + ":v2")
    return _in_registry[key]


def pull(api, made, remote: str, name: str | None = None) -> str:
    """POST /plugins/pull of REMOTE (as NAME) with the privileges it asks for; the installed name."""
    privileges = api.get("/plugins/privileges", params={"remote": remote}).json()
    params = {"remote": remote, **({"name": name} if name else {})}
    pulled = api.post("/plugins/pull", params=params, json=privileges, timeout=120)
    assert pulled.status_code == 200 and not stream_errors(pulled), harness(f"pull {pulled.text[-300:]}")
    made.plugins.append(name or remote)
    return name or remote


def test_create_and_push(api, engine, engine_pool, made, call):
    """POST /plugins/create from a tar context installs it disabled; POST /plugins/{name}/push puts it in the
    registry: removed here, its privileges are then read from the registry and it pulls back."""
    remote = f"{registry_of(engine)}/{made.name('plugin')}:latest"
    made.plugin(remote, plugin_context(engine_pool.plugin_rootfs(), remote))  # POST /plugins/create, 204
    created = call("GET /plugins/{name}/json", 200, name=remote)
    assert (created["Enabled"], created["Config"]["Interface"]["Socket"]) == (False, "conformance.sock")

    pushed = api.post(f"/plugins/{remote}/push", timeout=120)  # a progress stream: its errors come in it
    assert pushed.status_code == 200, pushed.text[-300:]
    check_stream(pushed, "POST /plugins/{name}/push")
    call("DELETE /plugins/{name}", 200, name=remote)
    privileges = call("GET /plugins/privileges", 200, params={"remote": remote})  # read from the registry
    assert {"Name": "network", "Description": "permissions to access a network", "Value": ["host"]} in privileges
    pull(api, made, remote)
    assert call("GET /plugins/{name}/json", 200, name=remote)["Config"]["Interface"]["Socket"] == "conformance.sock"


def test_pull_enable_disable_remove(api, made, call, pushed_plugin):
    """GET /plugins/privileges, POST /plugins/pull, enable, disable, DELETE: each seen in GET /plugins."""
    remote = pushed_plugin
    assert api.get(f"/plugins/{remote}/json").status_code == 404
    privileges = call("GET /plugins/privileges", 200, params={"remote": remote})
    assert {"Name": "network", "Description": "permissions to access a network", "Value": ["host"]} in privileges

    pulled = api.post("/plugins/pull", params={"remote": remote}, json=privileges, timeout=120)
    made.plugins.append(remote)  # removed at the end whatever fails below: later tests pull the same plugin
    assert pulled.status_code == 200
    check_stream(pulled, "POST /plugins/pull")
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
    made.plugins.append(pushed_plugin)  # an engine that installs it anyway must not leave it to later tests
    assert pulled.status_code == 200, "the refusal comes in the progress stream"
    assert stream_errors(pulled) == ["incorrect privileges"], pulled.text[-300:]
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
    made.plugins.append(pushed_plugin)  # removed at the end like every plugin a test pulls
    assert pulled.status_code == 200, pulled.text[-300:]
    check_stream(pulled, "POST /plugins/pull")
    enabled = api.post(f"/plugins/{pushed_plugin}/enable", timeout=60)
    assert enabled.status_code == 200, enabled.text


def test_set_changes_the_env_only_while_disabled(api, call, made, pushed_plugin):
    """POST /plugins/{name}/set changes a settable env value (seen in inspect); refused while the plugin is enabled."""
    plugin = pull(api, made, pushed_plugin)
    assert "CONFORMANCE_LEVEL=1" in call("GET /plugins/{name}/json", 200, name=plugin)["Settings"]["Env"]
    call("POST /plugins/{name}/set", 204, name=plugin, json=["CONFORMANCE_LEVEL=2"])
    assert "CONFORMANCE_LEVEL=2" in call("GET /plugins/{name}/json", 200, name=plugin)["Settings"]["Env"]

    assert api.post(f"/plugins/{plugin}/enable", params={"timeout": 30}, timeout=60).status_code == 200
    try:
        refused = call("POST /plugins/{name}/set", 500, name=plugin, json=["CONFORMANCE_LEVEL=3"])
    finally:  # disabled again whatever the refusal was
        env = call("GET /plugins/{name}/json", 200, name=plugin)["Settings"]["Env"]
        assert api.post(f"/plugins/{plugin}/disable", timeout=60).status_code == 200
    assert "cannot set on an active plugin" in refused["message"]
    assert "CONFORMANCE_LEVEL=2" in env


def test_set_of_a_value_that_is_not_settable_is_refused(api, call, made, pushed_plugin):
    """POST /plugins/{name}/set of an env the plugin does not declare is refused; nothing changes."""
    plugin = pull(api, made, pushed_plugin)
    assert call("POST /plugins/{name}/set", 500, name=plugin, json=["NOT_DECLARED=1"])["message"]
    assert not any(e.startswith("NOT_DECLARED") for e in api.get(f"/plugins/{plugin}/json").json()["Settings"]["Env"])


def test_upgrade_to_a_second_tag(api, call, engine_pool, made, pushed_plugin, second_tag):
    """POST /plugins/{name}/upgrade of a disabled plugin to another tag: the plugin keeps its name, new reference."""
    second = second_tag
    plugin = pull(api, made, pushed_plugin)
    before = call("GET /plugins/{name}/json", 200, name=plugin)
    privileges = call("GET /plugins/privileges", 200, params={"remote": second})
    upgraded = api.post(f"/plugins/{plugin}/upgrade", params={"remote": second}, json=privileges, timeout=120)
    assert upgraded.status_code in (200, 204), upgraded.text  # the status is judged in test_upgrade_answers_204
    check_stream(upgraded, "POST /plugins/{name}/upgrade")
    after = call("GET /plugins/{name}/json", 200, name=plugin)
    assert after["Name"] == before["Name"]
    assert after["PluginReference"] == second
    assert after["Id"] == before["Id"]
    assert api.post(f"/plugins/{plugin}/enable", params={"timeout": 30}, timeout=60).status_code == 200
    assert api.get(f"/plugins/{plugin}/json").json()["Enabled"] is True
    assert api.post(f"/plugins/{plugin}/disable", timeout=60).status_code == 200


def test_upgrade_of_an_enabled_plugin_is_refused(api, call, engine_pool, made, pushed_plugin, second_tag):
    """POST /plugins/{name}/upgrade of an enabled plugin is refused; it keeps its reference."""
    second = second_tag
    plugin = pull(api, made, pushed_plugin)
    assert api.post(f"/plugins/{plugin}/enable", params={"timeout": 30}, timeout=60).status_code == 200
    privileges = api.get("/plugins/privileges", params={"remote": second}).json()
    try:
        refused = call(
            "POST /plugins/{name}/upgrade", 500, name=plugin, params={"remote": second}, json=privileges, timeout=120
        )
    finally:  # disabled again whatever the refusal was
        reference = call("GET /plugins/{name}/json", 200, name=plugin)["PluginReference"]
        assert api.post(f"/plugins/{plugin}/disable", timeout=60).status_code == 200
    assert "upgrade" in refused["message"]
    assert reference == pushed_plugin


def test_upgrade_answers_204(api, call, engine_pool, made, pushed_plugin, second_tag):
    """POST /plugins/{name}/upgrade answers 204 (no content), as documented."""
    second = second_tag
    plugin = pull(api, made, pushed_plugin)
    privileges = api.get("/plugins/privileges", params={"remote": second}).json()
    call("POST /plugins/{name}/upgrade", 204, name=plugin, params={"remote": second}, json=privileges, timeout=120)
