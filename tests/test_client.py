"""The API client over a unix socket, against a small local HTTP fake (not an engine)."""

import http.server
import socketserver
import threading

import pytest
import requests

from fixtures.client.http import ApiClient, client_for


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            threading.Event().wait(1)
        body = self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _KeepAliveHandler(_Handler):
    protocol_version = "HTTP/1.1"  # connections stay open between calls, as dockerd's do


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    connections = 0

    def get_request(self):
        request, _ = super().get_request()
        self.connections += 1
        return request, ("local", 0)


def _serve(path, handler):
    server = _UnixHTTPServer(str(path), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def fake_daemon(tmp_path):
    """An HTTP server on a unix socket that echoes the path it was asked for."""
    path = tmp_path / "fake.sock"
    server = _serve(path, _Handler)
    yield f"unix://{path}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def keep_alive_daemon(tmp_path):
    """The same over HTTP/1.1 keep-alive; yields its address and the server (which counts connections)."""
    path = tmp_path / "fake.sock"
    server = _serve(path, _KeepAliveHandler)
    yield f"unix://{path}", server
    server.shutdown()
    server.server_close()


def test_unix_requests_carry_the_version_prefix(fake_daemon):
    client = client_for(fake_daemon, api_version="1.41")
    assert client.get("/containers/json").text == "/v1.41/containers/json"
    assert client.at_version(None).get("/_ping").text == "/_ping"


def test_paths_and_queries_reach_the_socket_as_they_are(fake_daemon):
    client = client_for(fake_daemon, api_version="1.51")
    assert client.get("/containers/json", params={"all": 1}).text == "/v1.51/containers/json?all=1"


def test_the_timeout_of_a_call_reaches_the_unix_socket_also_when_reused(keep_alive_daemon):
    address, server = keep_alive_daemon
    client = client_for(address)  # default timeout 30 s
    assert client.get("/slow", timeout=5).status_code == 200
    with pytest.raises(requests.Timeout):
        client.get("/slow", timeout=0.2)
    assert server.connections == 1  # the second call's timeout was set on the kept connection


def test_every_call_has_a_timeout(fake_daemon):
    client = client_for(fake_daemon, timeout=0.2)
    with pytest.raises(requests.Timeout):
        client.get("/slow")


def test_recorder_sees_each_response(fake_daemon):
    seen = []
    client = client_for(
        fake_daemon, recorder=lambda response, seconds, curl, sent_at: seen.append((response.status_code, curl))
    )
    client.get("/a")
    client.post("/b", json={"x": 1})
    assert [status for status, _ in seen] == [200, 501]  # the fake daemon answers GET only
    socket_path = fake_daemon.removeprefix("unix://")
    assert seen[1][1] == (
        f"curl -sS -X POST --unix-socket {socket_path} -H 'Content-Type: application/json' "
        "--data-raw '{\"x\": 1}' http://localhost/b"
    )


def test_ping_is_false_when_nothing_listens(tmp_path):
    assert client_for(f"unix://{tmp_path}/none.sock").ping(timeout=0.5) is False


def test_addresses_pick_the_transport():
    assert client_for("tcp://127.0.0.1:2375").base_url == "http://127.0.0.1:2375"
    assert isinstance(client_for("unix:///x.sock"), ApiClient)
    with pytest.raises(ValueError, match="use unix:///path/to/docker.sock or tcp://HOST:PORT"):
        client_for("ssh://somewhere")


def test_calls_to_different_paths_share_one_kept_alive_connection(keep_alive_daemon):
    """docker-py's adapter alone opens a connection per URL; the suite keeps one per socket."""
    address, server = keep_alive_daemon
    client = client_for(address)
    for path in ("/_ping", "/version", "/containers/json", "/images/json"):
        assert client.get(path).status_code == 200
    assert server.connections == 1


def test_the_fast_path_sends_what_requests_would(fake_daemon):
    """Params (None left out, lists repeated), a JSON body and its headers, as Session.request prepares them."""
    client = client_for(fake_daemon)
    params = {"a": 1, "b": None, "c": ["x", "y"], "d": "s p"}
    fast = client.get("/q", params=params)
    slow = client.session.request("GET", client.url("/q"), params=params)
    assert fast.text == slow.text == "/q?a=1&c=x&c=y&d=s+p"
    posted = client.post("/p", json={"x": 1}).request
    assert posted.body == b'{"x": 1}' and posted.headers["Content-Type"] == "application/json"
    assert posted.headers["Content-Length"] == "8"
    assert client.post("/p").request.headers["Content-Length"] == "0"


def test_a_streamed_answer_is_recorded_when_its_body_ends_or_it_is_closed(fake_daemon):
    seen = []
    client = client_for(fake_daemon, recorder=lambda response, seconds, curl, sent_at: seen.append(seconds))
    read = client.get("/read", stream=True)
    assert seen == []  # the body is not read yet
    assert read.content == b"/read"
    closed = client.get("/closed", stream=True)
    closed.close()
    closed.close()
    assert len(seen) == 2 and all(s > 0 for s in seen)


def test_a_streamed_answer_read_whole_goes_into_the_transcript(fake_daemon, tmp_path):
    """.content of a streamed answer (as check() reads a wait's answer): read once, and recorded when it ended (its
    body is the test's: the transcript shows bodies of plain answers only, as before)."""
    from fixtures.client.transcript import Transcript

    transcript = Transcript(tmp_path / "t.log")
    client = client_for(fake_daemon, recorder=transcript.recorder_for("fake unix"))
    response = client.get("/whole", stream=True)
    assert response.content == b"/whole" and response.text == "/whole"
    transcript.close()
    assert (tmp_path / "t.log").read_text().startswith("GET /whole 200 (")


def test_a_streamed_answer_left_open_is_recorded_at_the_end_of_its_test(fake_daemon):
    """A test that fails before it reads or closes a stream: its call is still recorded, once."""
    from fixtures.client.http import record_pending

    seen = []
    client = client_for(
        fake_daemon, recorder=lambda response, seconds, curl, sent_at: seen.append(response.request.path_url)
    )
    left_open = client.get("/open", stream=True)
    record_pending()  # what the client plugin does as each test phase ends
    left_open.close()
    record_pending()
    assert seen == ["/open"]


def test_a_session_hook_sees_the_clients_own_calls(fake_daemon):
    """The fuzz suite records through a session hook: the fast path, which skips hooks, must not bypass it."""
    client = client_for(fake_daemon)
    hooked = []
    client.session.hooks["response"].append(lambda response, **_: hooked.append(response.status_code))
    client.get("/a")
    assert hooked == [200]
