"""perf.timing: where a run's time went, from a small fake results.json and transcript."""

import json

from fixtures.engines.catalog import ENGINES
from perf import bench, timing
from reports.contract import format_line, parse_line

A = "suites/test_system.py::test_ping[docker-28.5-unix]"
B = "suites/test_swarm.py::test_join[docker-28.5-unix]"
TRANSCRIPT = f"""GET /v1.51/_ping 200 (100.00 ms, setup, at 1000.0000) [docker-28.5 unix] {A}
  $ curl -sS -X GET --unix-socket /s http://localhost/v1.51/_ping
  < OK
GET /v1.51/_ping 200 (300.00 ms, call, at 1000.2000) [docker-28.5 unix] {A}
GET /v1.51/events 200 (200.00 ms, call, at 1000.4000) [docker-28.5 unix] {A}
POST /v1.51/swarm/init 200 (3000.00 ms, call, at 1002.0000) [docker-28.5 unix] {B}
GET /v1.51/info 200 (2.0 ms) [docker-28.5 unix] {B}
"""


def _results(wall_s=None, workers=2):
    return {
        "run": {"wall_s": wall_s, "workers": workers},
        "tests": [
            {"id": A, "area": "system", "engine": "docker-28.5", "transport": "unix", "duration": 1.0},
            {"id": B, "area": "swarm", "engine": "docker-28.5", "transport": "unix", "duration": 4.0, "waited_s": 0.5},
            {"id": "x::test_reach", "flow": "test_reach", "area": "fuzz", "duration": 0},
        ],
    }


def test_overlapping_calls_count_once_and_old_lines_are_summed():
    assert timing.busy_seconds([(0.0, 1.0), (0.5, 1.0), (3.0, 0.5), (None, 0.25)]) == 2.25


def test_engine_time_against_wall_time_per_test_and_area():
    analysis = timing.analyse(_results(), TRANSCRIPT.splitlines())
    tests = {t["id"]: t for t in analysis["slowest"]}
    assert tests[A]["engine_s"] == 0.5  # 0.1 + 0.3 and 0.2 overlapping from 0.4 to 0.5: 0.1 + 0.4
    assert tests[A]["harness_share"] == 0.5 and tests[A]["calls"] == 3
    assert tests[B]["engine_s"] == 3.002 and tests[B]["harness_s"] == 0.998
    assert list(analysis["by_area"]) == ["swarm", "system"]  # slowest area first
    assert tests[B]["polls_s"] == 0.5
    assert analysis["total"] == {
        "tests": 2,
        "wall_s": 5.0,
        "engine_s": 3.5,
        "harness_s": 1.5,
        "polls_s": 0.5,
        "harness_share": 0.3,
    }
    assert analysis["timing"] == "exact" and analysis["slowest"][0]["id"] == B


def test_targets_say_met_missed_with_contributors_and_not_measured():
    analysis = timing.analyse(_results(wall_s=50.0), TRANSCRIPT.splitlines())
    analysis["transports"] = ["tcp", "tls", "unix"]
    goals = timing.targets(timing.run_figures(analysis), analysis)
    assert goals["suites_docker-28.5_3_transports_n2_s"]["status"] == "missed"
    assert goals["suites_docker-28.5_3_transports_n2_s"]["top_contributors"][0].startswith("area swarm: 4.0 s")
    assert goals["harness_share"]["status"] == "missed"  # 0.3 > 0.25
    assert goals["harness_share"]["top_contributors"][0] == "area swarm: 1.0 s harness (0.5 s of it polls) of 4.0 s"
    assert goals["fresh_machine_to_report_s"]["status"] == "not measured"
    assert any("missed" in line for line in timing.table(analysis, goals))


def test_a_run_on_other_than_two_workers_does_not_speak_for_the_n2_target():
    analysis = timing.analyse(_results(wall_s=50.0, workers=0), TRANSCRIPT.splitlines())
    analysis["transports"] = ["tcp", "tls", "unix"]
    assert "suites_docker-28.5_3_transports_n2_s" not in timing.run_figures(analysis)


def test_only_a_run_of_every_catalog_engine_speaks_for_the_matrix_target():
    analysis = timing.analyse(_results(wall_s=500.0), TRANSCRIPT.splitlines())
    analysis["engines"] = sorted(ENGINES)
    assert timing.run_figures(analysis)["matrix_all_engines_s"] == 500.0
    analysis["engines"] = sorted(ENGINES)[:-1]
    assert "matrix_all_engines_s" not in timing.run_figures(analysis)


def test_bench_analyses_a_run_made_before(tmp_path, capsys):
    (tmp_path / "results.json").write_text(json.dumps(_results(wall_s=30.0)))
    (tmp_path / "transcript-gw0.log").write_text(TRANSCRIPT)
    (tmp_path / "bench-n2-transcript.log").write_text(f"GET /x 200 (9999.0 ms) [e t] {A}\n")  # another run's
    assert bench.main(["--from", str(tmp_path), "--out", str(tmp_path / "bench.json")]) == 0
    written = json.loads((tmp_path / "bench.json").read_text())
    assert written["where_time_went"]["total"]["engine_s"] == 3.5
    assert written["transcripts"] == [str(tmp_path / "transcript-gw0.log")]
    assert "harness_share" in capsys.readouterr().out


def test_transcript_lines_carry_phase_and_start(tmp_path):
    from fixtures.client.transcript import Transcript

    class _Request:
        method, path_url, body = "GET", "/_ping", None

    class _Response:
        request, status_code, _content, content = _Request(), 200, b"OK", b"OK"

    transcript = Transcript(tmp_path / "t.log")
    transcript.test, transcript.phase = A, "call"
    transcript.record(_Response(), 0.0123, "curl x", "docker-28.5 unix", 1000.5)
    transcript.close()
    line = (tmp_path / "t.log").read_text().splitlines()[0]
    assert line == f"GET /_ping 200 (12.30 ms, call, at 1000.5000) [docker-28.5 unix] {A}"
    assert timing.engine_calls([line]) == {A: [(1000.5, 0.0123)]}


def test_the_transcript_line_is_read_as_written():
    written = format_line("GET", "/v1.51/info", 200, 0.0031, "setup", 1000.0, "docker-28.5 tls", A)
    assert written == f"GET /v1.51/info 200 (3.10 ms, setup, at 1000.0000) [docker-28.5 tls] {A}"
    assert parse_line(written) == ("GET", "/v1.51/info", 200, 3.1, "setup", 1000.0, "docker-28.5", "tls", A, None)
    old = "GET /v1.51/info 200 (3.10 ms) [docker-28.5 tls] t"  # before phases and start times were written
    assert parse_line(old)[4:6] == (None, None)
    assert parse_line("  > {}") is None


def test_a_real_clients_request_is_read_as_written():
    test = "suites/test_clients.py::test_workflow[docker-28.5-unix-docker-cli-28.5.2]"
    written = format_line("POST", "/v1.51/build", 0, 0.0, "call", 1000.0, "docker-28.5 unix", test, "docker-cli-28.5.2")
    label = "[docker-28.5 unix via docker-cli-28.5.2]"
    assert written == f"POST /v1.51/build 000 (0.00 ms, call, at 1000.0000) {label} {test}"
    call = parse_line(written)
    assert (call.engine, call.transport, call.client, call.test, call.status) == (
        "docker-28.5",
        "unix",
        "docker-cli-28.5.2",
        test,
        0,
    )


def test_fuzz_test_ids_with_a_space_are_read():
    test = "suites/test_fuzz.py::test_operation[docker-28.5-GET /containers/json-unix]"
    line = f"GET /v1.51/containers/json 200 (1.10 ms, call, at 1000.0000) [docker-28.5-fuzz unix] {test}"
    assert parse_line(line).test == test


def test_results_count_xdist_workers():
    from types import SimpleNamespace

    from reports.collect import _workers

    def config(tx):
        return SimpleNamespace(option=SimpleNamespace(tx=tx))

    assert [_workers(config(tx)) for tx in ([], ["popen", "popen"], ["2*popen", "popen"], None)] == [0, 2, 3, 0]


def test_a_missed_client_target_says_where_a_request_spends_its_time():
    costs = {"curl_us": 90.0, "http_client_us": 157.0, "client_us": 256.0, "transcript_record_us": 2.7}
    lines = bench.client_contributors({**costs, "curl_render_us": 3.2, "client_transcript_us": 281.0})
    assert lines[0] == (
        "curl keep-alive 90 us; Python's bare http.client on the same socket 157 us "
        "(1.7x curl: the floor under requests and urllib3)"
    )
    assert lines[1].endswith(": 99 us") and lines[2].startswith("recording each call (281 us against 256 us")
    assert ": 25 us, of which" in lines[2] and "3.2 us" in lines[2]
