"""The stream helpers of the scenarios: hijacked reads with a deadline, websocket frames, tar and stat bodies."""

import base64
import json
import socket
import struct
import time
from types import SimpleNamespace

import pytest
import requests

from fixtures.client.http import registry_auth
from fixtures.scenario.objects import tar_of
from fixtures.scenario.streams import (
    Hijacked,
    check_stream,
    json_messages,
    mask_frame,
    path_stat,
    stream_errors,
    tar_members,
    websocket_payloads,
)


def _hijacked(sock: socket.socket) -> Hijacked:
    """A Hijacked over SOCK, as requests leaves a streamed response: http.client's buffered reader on top."""
    response = SimpleNamespace(raw=SimpleNamespace(_fp=SimpleNamespace(fp=sock.makefile("rb"))), close=lambda: None)
    return Hijacked(response)


def test_a_hijacked_read_stops_when_done_and_sends_back():
    ours, theirs = socket.socketpair()
    with theirs, _hijacked(ours) as attached:
        theirs.sendall(b"one ")
        attached.send(b"ping")
        assert theirs.recv(4) == b"ping"
        theirs.sendall(b"two three")
        assert attached.read_until(lambda got: b"two" in got, 5).startswith(b"one two")


def test_a_hijacked_read_ends_at_its_deadline_or_when_the_peer_hangs_up():
    ours, theirs = socket.socketpair()
    with theirs, _hijacked(ours) as attached:
        theirs.sendall(b"partial")
        started = time.monotonic()
        assert attached.read_until(lambda got: b"never" in got, 0.3) == b"partial"
        assert time.monotonic() - started < 2
        theirs.close()
        assert attached.read_until(lambda got: False, 5) == b"partial"


def test_websocket_frames_of_every_length_encoding_are_read_and_a_cut_one_left_out():
    def server_frame(payload: bytes) -> bytes:
        size = len(payload)
        if size < 126:
            return struct.pack(">BB", 0x82, size) + payload
        if size < 1 << 16:
            return struct.pack(">BBH", 0x82, 126, size) + payload
        return struct.pack(">BBQ", 0x82, 127, size) + payload

    big, huge = b"b" * 300, b"h" * 70000
    stream = server_frame(b"hi\n") + server_frame(big) + server_frame(huge)
    assert websocket_payloads(stream) == b"hi\n" + big + huge
    assert websocket_payloads(stream[:-1]) == b"hi\n" + big


def test_a_client_frame_is_masked_and_unmasks_to_its_payload():
    frame = mask_frame(b"ping\n")
    assert frame[0] == 0x82 and frame[1] == 0x80 | 5
    key, masked = frame[2:6], frame[6:]
    assert bytes(b ^ key[i % 4] for i, b in enumerate(masked)) == b"ping\n"


def test_tar_members_and_the_path_stat_header():
    assert tar_members(tar_of({"dir/f": b"hello", "g": b""})) == {"dir/f": b"hello", "g": b""}
    header = base64.b64encode(json.dumps({"name": "f", "size": 5, "mode": 420}).encode()).decode()
    assert path_stat(header) == {"name": "f", "size": 5, "mode": 420}


def test_json_messages_reads_whole_objects_and_leaves_a_cut_one():
    assert json_messages(b'{"a": 1}\n{"a": 2}\n{"a"') == [{"a": 1}, {"a": 2}]
    assert json_messages(b'{"a": 1}{"a": 2}') == [{"a": 1}, {"a": 2}]  # back to back, as stats streams write them
    assert json_messages(b"") == []


def _stream(body: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = 200, body
    return response


def test_a_progress_stream_s_errors_are_found_and_the_check_names_them():
    failed = _stream(b'{"status": "Pulling"}\n{"errorDetail": {"message": "denied"}, "error": "denied"}\n')
    assert stream_errors(failed) == ["denied"]
    with pytest.raises(AssertionError, match=r"POST /images/create: the stream reported \[\{'message': 'denied'\}\]"):
        check_stream(failed, "POST /images/create")
    assert check_stream(_stream(b'{"status": "done"}\n'), "POST /images/create") == [{"status": "done"}]


def test_the_registry_auth_header_is_base64url_json():
    assert json.loads(base64.urlsafe_b64decode(registry_auth())) == {}
    assert json.loads(base64.urlsafe_b64decode(registry_auth("r:5000", "u", "p"))) == {
        "username": "u",
        "password": "p",
        "serveraddress": "r:5000",
    }
