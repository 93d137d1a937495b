"""Containers: attach (hijacked and websocket), logs options, stats and top, every stream read with a deadline."""

import datetime

import pytest

from fixtures.scenario.objects import demux
from fixtures.scenario.streams import (
    UPGRADE_TCP,
    Hijacked,
    json_messages,
    mask_frame,
    read_stream,
    websocket_headers,
    websocket_payloads,
)
from fixtures.wait import until
from reports.contract import unsupported

pytestmark = pytest.mark.containers

STREAM_SECONDS = 15


def _logs(api, container: str, **params) -> tuple[str, str]:
    response = api.get(f"/containers/{container}/logs", params={"stdout": 1, "stderr": 1, **params})
    assert response.status_code == 200, response.text[:300]
    return demux(response.content)


def _attach(api, container: str, **params) -> Hijacked:
    params = {"stream": 1, "stdin": 1, "stdout": 1, "stderr": 1, **params}
    response = api.post(f"/containers/{container}/attach", params=params, headers=UPGRADE_TCP, stream=True)
    assert response.status_code in (101, 200), f"POST /containers/{{id}}/attach: {response.status_code}"
    if response.status_code == 101:
        assert response.headers["Upgrade"].lower() == "tcp"
    return Hijacked(response)


def test_attach_multiplexes_stdout_and_stderr_of_a_container_without_tty(api, made):
    """POST /containers/{id}/attach 101 Upgrade tcp: stdin reaches the container, stdout and stderr return in frames."""
    container = made.running(
        ["sh", "-c", 'while read line; do echo "out $line"; echo "err $line" >&2; done'],
        OpenStdin=True,
        AttachStdin=True,
    )
    with _attach(api, container) as attached:
        attached.send(b"ping\n")
        received = attached.read_until(lambda got: demux(got) == ("out ping\n", "err ping\n"), STREAM_SECONDS)
    assert demux(received) == ("out ping\n", "err ping\n")


def test_attach_is_raw_for_a_tty_container(api, made):
    """With Tty the attach stream is the terminal's raw bytes, not frames: the echo and cat's copy of the line."""
    container = made.running(["cat"], OpenStdin=True, AttachStdin=True, Tty=True)
    with _attach(api, container) as attached:
        attached.send(b"ping\n")
        received = attached.read_until(lambda got: got.count(b"ping") >= 2, STREAM_SECONDS)
    assert received == b"ping\r\nping\r\n"


def test_attach_with_logs_replays_earlier_output(made, call):
    """logs=1&stream=0: the output written before the attach, multiplexed, then the end of the stream."""
    container = made.container(["sh", "-c", "echo earlier; echo oops >&2"])
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0
    replayed = call(
        "POST /containers/{id}/attach", 200, id=container, params={"logs": 1, "stream": 0, "stdout": 1, "stderr": 1}
    )
    assert demux(replayed) == ("earlier\n", "oops\n")


def test_attach_with_bad_detach_keys_is_a_bad_request(api, made):
    """detachKeys that are no key sequence: 400 naming them, before any stream (dockerd writes it as plain text)."""
    container = made.running(["cat"], OpenStdin=True)
    refused = api.post(
        f"/containers/{container}/attach", params={"stream": 1, "stdin": 1, "detachKeys": "notakey"}, timeout=15
    )
    assert refused.status_code == 400
    assert "notakey" in refused.text


def test_attach_websocket_carries_the_output(api, made, engine):
    """GET /containers/{id}/attach/ws 101 websocket: logs=1 replays output, stdin sent in a frame comes back."""
    container = made.running(["sh", "-c", 'echo ws-hello; while read line; do echo "ws $line"; done'], OpenStdin=True)
    until(lambda: _logs(api, container)[0], 10, "the container's first line", accept=lambda out: "ws-hello" in out)
    params = {"logs": 1, "stream": 1, "stdin": 1, "stdout": 1, "stderr": 1}
    response = api.get(f"/containers/{container}/attach/ws", params=params, headers=websocket_headers(), stream=True)
    if engine.spec.kind == "podman" and response.status_code == 404:  # its compat API has no such route
        response.close()
        pytest.skip(unsupported(f"{engine.name} does not serve GET /containers/{{id}}/attach/ws (404)"))
    assert response.status_code == 101, f"GET /containers/{{id}}/attach/ws: {response.status_code}"
    assert response.headers["Upgrade"].lower() == "websocket"
    with Hijacked(response) as attached:
        attached.read_until(lambda got: b"ws-hello" in websocket_payloads(got), STREAM_SECONDS)
        attached.send(mask_frame(b"ping\n"))
        received = attached.read_until(lambda got: b"ws ping" in websocket_payloads(got), STREAM_SECONDS)
    assert websocket_payloads(received) == b"ws-hello\nws ping\n"


def _stamped(line: str) -> tuple[float, str]:
    """A timestamps=1 line: seconds since the epoch (RFC 3339, nanoseconds cut to micro) and the text."""
    stamp, text = line.split(" ", 1)
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    at = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.UTC)
    return at.timestamp() + float(f"0.{fraction or 0}"), text


def test_logs_tail_timestamps_since_and_until(api, made, call):
    """GET /containers/{id}/logs: tail=N the last N lines; timestamps=1 prefixes each; since/until cut by time."""
    container = made.container(["sh", "-c", "echo one; sleep 1.5; echo two; echo three"])  # only one|two is cut
    call("POST /containers/{id}/start", 204, id=container)
    assert call("POST /containers/{id}/wait", 200, id=container, timeout=30)["StatusCode"] == 0

    assert _logs(api, container, tail=2) == ("two\nthree\n", "")
    stamped = [_stamped(line) for line in _logs(api, container, timestamps=1)[0].splitlines()]
    assert [text for _, text in stamped] == ["one", "two", "three"]
    # after one, before two even where the stamps are cut to whole seconds; as seconds.nanoseconds
    cut = stamped[0][0] + 1.2
    between = f"{int(cut)}.{round((cut - int(cut)) * 1e9):09d}"
    assert _logs(api, container, since=between) == ("two\nthree\n", "")
    assert _logs(api, container, until=between) == ("one\n", "")
    last = call("GET /containers/{id}/logs", 200, id=container, params={"stdout": 1, "stderr": 1, "tail": 1})
    assert demux(last) == ("three\n", "")


def test_logs_follow_streams_new_output(api, made):
    """follow=1 keeps the stream open: a line written after the request arrives on it (read with a deadline)."""
    container = made.running(["sh", "-c", "echo first; sleep 1; echo second; sleep 300"])
    response = api.get(
        f"/containers/{container}/logs", params={"stdout": 1, "follow": 1}, stream=True, timeout=STREAM_SECONDS
    )
    assert response.status_code == 200
    received = read_stream(response, lambda got: "second" in demux(got)[0], STREAM_SECONDS)
    assert demux(received)[0] == "first\nsecond\n"


def test_stats_one_sample(made, call):
    """stream=false: one sample with cpu_stats, precpu_stats and memory_stats of this container."""
    container = made.running()
    sample = call("GET /containers/{id}/stats", 200, id=container, params={"stream": 0})
    assert sample["id"] == container
    assert sample["cpu_stats"]["cpu_usage"]["total_usage"] > 0
    assert {"precpu_stats", "memory_stats"} <= set(sample)
    assert sample["memory_stats"]["usage"] > 0


@pytest.mark.requires_api("1.41")
def test_stats_one_shot_has_no_previous_sample(made, call):
    """one-shot=true with stream=false: at once, precpu_stats left empty."""
    container = made.running()
    sample = call("GET /containers/{id}/stats", 200, id=container, params={"stream": 0, "one-shot": 1})
    assert sample["cpu_stats"]["cpu_usage"]["total_usage"] > 0
    assert not sample["precpu_stats"].get("system_cpu_usage")


def test_stats_stream_gives_samples_until_hung_up(api, made):
    """stream=true: a sample a second, each newer than the last, read for two samples and then hung up."""
    container = made.running()
    response = api.get(f"/containers/{container}/stats", params={"stream": 1}, stream=True, timeout=STREAM_SECONDS)
    assert response.status_code == 200
    samples = json_messages(read_stream(response, lambda got: len(json_messages(got)) >= 2, STREAM_SECONDS))
    assert len(samples) >= 2
    assert samples[1]["read"] > samples[0]["read"]
    assert samples[1]["precpu_stats"]["cpu_usage"]["total_usage"] == samples[0]["cpu_stats"]["cpu_usage"]["total_usage"]


def _commands(top: dict) -> list[str]:
    """The command column of each process row of GET /containers/{id}/top."""
    command = next(title for title in ("CMD", "COMMAND") if title in top["Titles"])
    return [row[top["Titles"].index(command)] for row in top["Processes"]]


def test_top_lists_the_container_processes(made, call):
    """GET /containers/{id}/top: Titles and a row per process, holding the container's command; ps_args."""
    container = made.running(["sleep", "301"])
    # running, as inspect says it, comes a moment before runc has exec'd the command: top lists `runc init` then
    top = until(
        lambda: call("GET /containers/{id}/top", 200, id=container),
        10,
        "top listing the container's command",
        accept=lambda top: _commands(top) == ["sleep 301"],
        seen=_commands,
    )
    assert "PID" in top["Titles"]
    custom = call("GET /containers/{id}/top", 200, id=container, params={"ps_args": "-o pid,args"})
    assert custom["Titles"][0] == "PID"
    assert any("sleep 301" in " ".join(row) for row in custom["Processes"])


def test_top_of_a_stopped_container_is_a_conflict(api, made, call):
    """A container that is not running has no processes to list: 409 with a message."""
    container = made.container(["true"])
    assert call("GET /containers/{id}/top", 409, id=container)["message"]
