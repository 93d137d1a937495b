"""System: /info, /version and the events stream of a scenario's own container."""

import json
import time

import pytest

from fixtures.scenario.objects import json_lines
from fixtures.wait import until

pytestmark = pytest.mark.system


def test_info(engine, call):
    info = call("GET /info", 200)
    assert info["ServerVersion"] == engine.version["Version"]
    assert info["OSType"] == "linux"
    assert isinstance(info["Containers"], int)


def test_version(engine, call):
    version = call("GET /version", 200)
    assert version["ApiVersion"] == engine.api_version
    assert {c["Name"] for c in version.get("Components") or []} >= {"Engine"}


def test_events_of_a_container_lifecycle(api, made):
    """GET /events with since, until and a container filter yields create, start, die, destroy."""
    since = f"{time.time() - 1:.0f}"  # the engine shares the host clock
    container = made.container(["true"])
    assert api.post(f"/containers/{container}/start").status_code == 204
    assert api.post(f"/containers/{container}/wait", timeout=30).status_code == 200
    assert api.delete(f"/containers/{container}").status_code == 204
    wanted = ["create", "start", "die", "destroy"]
    filters = json.dumps({"container": [container]})

    def actions():
        until_now = f"{time.time() + 1:.0f}"  # until makes the stream end
        response = api.get("/events", params={"since": since, "until": until_now, "filters": filters}, timeout=30)
        assert response.status_code == 200
        events = json_lines(response)
        assert {e.get("id") for e in events} <= {container}, "the filter lets only our container through"
        seen = [e.get("Action") or e.get("status") for e in events]
        return seen if all(action in seen for action in wanted) else None

    seen = until(actions, 15, f"events {wanted} of {container[:12]}", interval=0.5)
    assert [a for a in seen if a in wanted] == wanted, "in lifecycle order"
