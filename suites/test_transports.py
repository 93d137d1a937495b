"""Transport security: mutual TLS refuses strangers; the plain TCP port is bound to loopback only."""

import pytest
import requests

from fixtures.client.http import TlsFiles, client_for

pytestmark = pytest.mark.transports


def _tls(engine) -> str:
    if "tls" not in engine.addresses or engine.tls is None:
        pytest.skip(f"{engine.name} serves no TLS")
    return engine.addresses["tls"]


# TLS 1.3 servers alert CERTIFICATE_REQUIRED / UNKNOWN_CA; older Go (20.10) sends BAD_CERTIFICATE for both.
def test_tls_without_a_client_certificate_is_refused(engine):
    address = _tls(engine)
    with client_for(address, tls=engine.tls) as anonymous:
        anonymous.session.cert = None
        with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_REQUIRED|BAD_CERTIFICATE"):
            anonymous.get("/_ping", timeout=10)


def test_tls_with_a_certificate_of_another_ca_is_refused(engine, engine_pool):
    address = _tls(engine)
    stranger = engine_pool.certificates.stranger
    with (
        client_for(address, tls=TlsFiles(ca=engine.tls.ca, cert=stranger.cert, key=stranger.key)) as client,
        pytest.raises(requests.exceptions.SSLError, match="UNKNOWN_CA|BAD_CERTIFICATE"),
    ):
        client.get("/_ping", timeout=10)


def test_plain_http_to_the_tls_port_is_refused(engine):
    """dockerd answers plain HTTP with a 400; a TLS terminator in front of an engine hangs up."""
    address = _tls(engine)
    try:
        with client_for(address) as plain:  # tcp:// without TLS files: plain HTTP
            answer = plain.get("/_ping", timeout=10)
    except requests.ConnectionError:
        assert engine.spec.kind != "docker", "dockerd itself terminates TLS: it answers plain HTTP with a 400"
        return
    assert answer.status_code == 400
    assert "HTTP request to an HTTPS server" in answer.text


def test_tls_with_the_run_certificate_is_served(engine):
    with client_for(_tls(engine), tls=engine.tls) as client:
        assert client.get("/_ping", timeout=10).text == "OK"


def test_tcp_ports_are_bound_to_loopback_only(engine):
    if engine.container is None:
        pytest.skip(f"{engine.name} is not a container of this run")
    ports = engine.container.get_wrapped_container().attrs["HostConfig"]["PortBindings"]
    bindings = [binding for published in ports.values() for binding in published]
    assert bindings and all(binding["HostIp"] == "127.0.0.1" for binding in bindings), bindings
