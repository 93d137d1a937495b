"""POST /session: the hijacked connection BuildKit's client upgrades to h2c (no swarm needed)."""

import uuid

import pytest

pytestmark = pytest.mark.session


def test_session_upgrade_is_answered(api):
    """POST /session with Upgrade: h2c is answered 101 with Connection: Upgrade and Upgrade: h2c; then hung up."""
    response = api.post(
        "/session",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "h2c",
            "X-Docker-Expose-Session-Uuid": uuid.uuid4().hex,
            "X-Docker-Expose-Session-Name": "conformance",
            "X-Docker-Expose-Session-Sharedkey": "conformance",
        },
        stream=True,
        timeout=30,
    )
    try:
        assert response.status_code == 101, response.text
        assert response.headers["Connection"].lower() == "upgrade"
        assert response.headers["Upgrade"] == "h2c"
    finally:
        response.close()  # hangs up the hijacked connection
    assert api.get("/_ping").status_code == 200, "the engine answers on a new connection after the hang-up"


def test_session_without_upgrade_is_400(call):
    """POST /session without an Upgrade header is refused as a bad parameter."""
    assert call("POST /session", 400, timeout=30)["message"]
