"""The harness closes every API session it opens and says when a step it could not do is skipped."""

from types import SimpleNamespace

import pytest
import requests

from fixtures.client.http import TlsFiles
from fixtures.engines import containers as engines
from fixtures.engines.catalog import engine_spec
from suites import test_transports


class _Container:
    stopped = False

    def stop(self):
        self.stopped = True


def _engine(tmp_path, container=None):
    return engines.Engine(
        engine_spec("docker-28.5"),
        "image",
        "privileged",
        {"unix": f"unix://{tmp_path}/gone.sock"},
        None,
        None,
        None,
        container,
    )


def test_an_engine_that_cannot_be_thawed_says_so_and_still_stops(tmp_path):
    said = []
    pool = engines.EnginePool(host=None, run=None, say=said.append)
    container = _Container()
    pool.engines = {"docker-28.5": _engine(tmp_path, container)}
    pool.close()
    assert container.stopped
    assert len(said) == 1 and "docker-28.5" in said[0] and "unpause" in said[0] and "ConnectionError" in said[0]


class _Clients:
    """Real ApiClients whose requests answer as told, each remembered with whether it was closed."""

    def __init__(self, monkeypatch, answer):
        self.made, self.closed, self.answer = [], [], answer
        real = test_transports.client_for
        monkeypatch.setattr(test_transports, "client_for", lambda *a, **k: self._track(real(*a, **k)))
        monkeypatch.setattr(engines, "client_for", lambda *a, **k: self._track(real(*a, **k)))

    def _track(self, client):
        self.made.append(client)
        close = client.close
        client.close = lambda: (self.closed.append(client), close())
        client.request = lambda *a, **k: self.answer()
        return client


def test_the_version_of_a_started_engine_is_asked_on_a_session_that_is_closed(tmp_path, monkeypatch):
    clients = _Clients(monkeypatch, lambda: SimpleNamespace(json=lambda: {"ApiVersion": "1.51"}))
    assert engines.version_of(_engine(tmp_path)) == {"ApiVersion": "1.51"}
    assert clients.made and clients.closed == clients.made


def _refused():
    raise requests.exceptions.SSLError("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] UNKNOWN_CA")


@pytest.mark.parametrize(
    "test, answer",
    [
        (test_transports.test_tls_without_a_client_certificate_is_refused, _refused),
        (test_transports.test_tls_with_a_certificate_of_another_ca_is_refused, _refused),
        (
            test_transports.test_plain_http_to_the_tls_port_is_refused,
            lambda: SimpleNamespace(status_code=400, text="Client sent an HTTP request to an HTTPS server."),
        ),
        (test_transports.test_tls_with_the_run_certificate_is_served, lambda: SimpleNamespace(text="OK")),
    ],
)
def test_transport_tests_close_their_clients(monkeypatch, test, answer):
    clients = _Clients(monkeypatch, answer)
    tls = TlsFiles("ca.pem", "cert.pem", "key.pem")
    engine = SimpleNamespace(
        name="docker-28.5", addresses={"tls": "tcp://127.0.0.1:2376"}, tls=tls, spec=SimpleNamespace(kind="docker")
    )
    pool = SimpleNamespace(certificates=SimpleNamespace(stranger=SimpleNamespace(cert="s.pem", key="s-key.pem")))
    test(*[engine, pool][: test.__code__.co_argcount])  # (engine) or (engine, engine_pool)
    assert clients.made and clients.closed == clients.made
