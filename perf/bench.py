"""python -m perf.bench: how fast the suite is, against baselines measured in the same run.

Writes reports/output/bench.json and prints a table. The headline is each ratio to its in-run baseline:
- ready: the suite's engine ready time (all three transports answer) against the engine's own (a
  bare poller on its unix socket, every 2 ms, from the same start); median of --starts starts;
- latency: GET /_ping and GET /containers/json through the suite's client against one curl
  process fetching the same URLs (keep-alive), median of --requests, per transport;
- suites: wall time of the scenario suites per transport against the same documented flows done
  by plain curl (one process per request, as a user would script them);
- fuzz: cases per second and operations reaching a 2xx per minute (no baseline: absolute);
- clients: every real client against the engine over all three transports, two workers, wall (installed first);
- client cost: what the suite's client, its transcript, the curl rendering and the schema check each add
  per request on the unix socket, against curl keep-alive;
- fresh machine (perf/fresh.py): the README's first command in a copy of the checkout with a new Python, no
  pip cache, an empty spec cache and the first run's images set aside (rebuilt), plus the host engine's
  recorded install; by phase;
- where the time went (perf/timing.py): per test and area, the engine's time (from the run's transcript)
  against the test's wall time, the harness share, the slowest tests; and each of the benchmark's targets
  (perf/timing.py) with its figure, met or missed and, if missed, the top contributors.

`--from DIR_OR_RESULTS` analyses a run made before (a conformance or matrix run's results.json and the
transcripts beside it), e.g. `python -m perf.bench --from reports/output/matrix`, without running anything.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import docker

from fixtures.client.transcript import Transcript
from fixtures.engines import host as host_engine
from fixtures.engines.catalog import ENGINES, UnknownEngine, engine_spec
from fixtures.engines.cleanup import remove_run, sweep
from fixtures.engines.containers import TRANSPORTS, EnginePool
from fixtures.run import Run
from openapi.shapes import body_shape
from openapi.specs import load_spec
from openapi.validate import mismatches
from perf import fresh, timing

ROOT = Path(__file__).resolve().parent.parent


def _raw_ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(0.5)
            sock.connect(path)
            sock.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def _poll_in_background(socket_path: str, answered: dict[str, float]) -> None:
    """The engine's own ready time: a bare poller on its socket every 2 ms, from the container's start."""
    started = time.monotonic()

    def run() -> None:
        while time.monotonic() - started < 90:
            if _raw_ping(socket_path):
                answered["at"] = time.monotonic() - started
                return
            time.sleep(0.002)

    threading.Thread(target=run, daemon=True).start()


def ready_times(pool: EnginePool, name: str, starts: int) -> dict:
    """The suite's ready time and the engine's own, from the same starts."""
    suite, own = [], []
    for index in range(starts):
        first: dict[str, float] = {}
        pool.on_started = functools.partial(_poll_in_background, answered=first)
        engine = pool.get(name, role=f"bench{index}")
        suite.append(engine.ready_seconds)
        own.append(first.get("at", float("nan")))
        engine.stop()
    return {
        "suite_s": statistics.median(suite),
        "own_s": statistics.median(own),
        "added_s": statistics.median(s - o for s, o in zip(suite, own, strict=True)),
        "samples": len(suite),
    }


def _curl_base(engine, transport: str) -> tuple[list[str], str]:
    address = engine.addresses[transport]
    if transport == "unix":
        return ["--unix-socket", address.removeprefix("unix://")], "http://localhost"
    hostport = address.removeprefix("tcp://")
    if transport == "tls":
        tls = engine.tls
        return ["--cacert", tls.ca, "--cert", tls.cert, "--key", tls.key], f"https://{hostport}"
    return [], f"http://{hostport}"


def latency(engine, transport: str, requests: int) -> dict:
    out = {}
    client = engine.client(transport, engine.api_version)
    args, base = _curl_base(engine, transport)
    for path in ("/_ping", "/containers/json"):
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            samples.append(time.perf_counter() - started)
        by_curl = _curl_keep_alive(args, f"{base}/v{engine.api_version}{path}", requests)
        out[path] = {"suite_ms": statistics.median(samples) * 1000, "curl_ms": statistics.median(by_curl) * 1000}
        out[path]["ratio"] = out[path]["suite_ms"] / out[path]["curl_ms"]
    client.close()
    return out


def _curl_keep_alive(args: list[str], url: str, requests: int) -> list[float]:
    """Seconds per request of one curl process fetching URL REQUESTS times on one kept-alive connection."""
    urls = [part for _ in range(requests) for part in (url, "-o", "/dev/null")]  # -o counts per URL
    curl = subprocess.run(
        ["curl", "-s", *args, "-w", "%{time_total}\\n", *urls], capture_output=True, text=True, timeout=300, check=True
    )
    return [float(line) for line in curl.stdout.split()]


def _median_us(action, requests: int) -> float:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def _raw_http_client(socket_path: str, path: str):
    """One GET of PATH per call through Python's bare http.client on a kept-alive unix socket: the floor under
    any client built on it (requests and urllib3 are)."""
    connection = http.client.HTTPConnection("localhost")
    connection.sock = socket.socket(socket.AF_UNIX)
    connection.sock.connect(socket_path)

    def get() -> None:
        connection.request("GET", path)
        connection.getresponse().read()

    return get


def client_costs(engine, requests: int, spec_dir: Path | None = None) -> dict:
    """Per request on the unix socket, in microseconds: curl keep-alive, Python's bare http.client, a bare call on
    the client's requests Session, the client's own path, and what the transcript, curl rendering and schema check
    add."""
    args, base = _curl_base(engine, "unix")
    out = {"curl_us": statistics.median(_curl_keep_alive(args, f"{base}/v{engine.api_version}/_ping", requests)) * 1e6}
    out["http_client_us"] = _median_us(_raw_http_client(args[1], f"/v{engine.api_version}/_ping"), requests)
    client = engine.client("unix", engine.api_version)
    session_url = client.url("/_ping")
    out["session_request_us"] = _median_us(lambda: client.session.request("GET", session_url, timeout=30), requests)
    out["client_us"] = _median_us(lambda: client.get("/_ping"), requests)
    folder = Path(tempfile.mkdtemp())
    transcript = Transcript(folder / "transcript.log")
    recorded = engine.client("unix", engine.api_version, transcript.recorder_for(f"{engine.name} unix"))
    out["client_transcript_us"] = _median_us(lambda: recorded.get("/_ping"), requests)
    response = client.get("/_ping")
    out["curl_render_us"] = _median_us(lambda: client.curl(response.request), requests)
    out["transcript_record_us"] = _median_us(lambda: transcript.record(response, 0.001, "curl", "x", 0.0), requests)
    version = client.get("/version")
    body, spec = version.json(), load_spec(engine.api_version, spec_dir)
    out["schema_check_version_us"] = _median_us(
        lambda: (mismatches(spec, "GET", "/version", 200, version.json()), body_shape(body)), max(requests // 5, 1)
    )
    out["ratio_client_transcript"] = out["client_transcript_us"] / out["curl_us"]
    out["ratio_session"] = out["session_request_us"] / out["curl_us"]
    transcript.close()
    shutil.rmtree(folder, ignore_errors=True)
    client.close()
    recorded.close()
    return out


def client_contributors(costs: dict) -> list[str]:
    """Where a request's time goes on the unix socket, from the floor up."""
    curl, floor = costs["curl_us"], costs["http_client_us"]
    return [
        f"curl keep-alive {curl:.0f} us; Python's bare http.client on the same socket {floor:.0f} us "
        f"({floor / curl:.1f}x curl: the floor under requests and urllib3)",
        f"requests' adapter and urllib3 over that floor, with the suite's client: {costs['client_us'] - floor:.0f} us",
        f"recording each call ({costs['client_transcript_us']:.0f} us against {costs['client_us']:.0f} us unrecorded):"
        f" {costs['client_transcript_us'] - costs['client_us']:.0f} us, of which the transcript record"
        f" {costs['transcript_record_us']:.1f} us and the curl rendering {costs['curl_render_us']:.1f} us",
    ]


def curl_flows(engine, transport: str) -> float:
    """The documented flows, one curl process per request: seconds."""
    args, base = _curl_base(engine, transport)
    prefix = f"{base}/v{engine.api_version}"

    def curl(method: str, path: str, body: str | None = None, *extra: str) -> str:
        command = ["curl", "-sS", "-f", *args, "-X", method, *extra]
        if body is not None:
            command += ["-H", "Content-Type: application/json", "-d", body]
        return subprocess.run([*command, prefix + path], capture_output=True, text=True, timeout=120, check=True).stdout

    started = time.monotonic()
    name = f"bench-{os.getpid()}-{transport}"
    curl("GET", "/_ping"), curl("GET", "/version"), curl("GET", "/info")
    curl("POST", "/images/create?fromImage=alpine&tag=latest")
    curl("GET", "/images/json")
    container = json.loads(curl("POST", "/containers/create", '{"Image": "alpine", "Cmd": ["echo", "Hello, World!"]}'))[
        "Id"
    ]
    curl("GET", "/containers/json?all=1")
    curl("POST", f"/containers/{container}/start"), curl("POST", f"/containers/{container}/wait")
    curl("GET", f"/containers/{container}/logs?stdout=1&stderr=1"), curl("DELETE", f"/containers/{container}")
    running = json.loads(curl("POST", "/containers/create", '{"Image": "alpine", "Cmd": ["sleep", "30"]}'))["Id"]
    curl("POST", f"/containers/{running}/start")
    exec_id = json.loads(curl("POST", f"/containers/{running}/exec", '{"Cmd": ["echo", "hi"], "AttachStdout": true}'))[
        "Id"
    ]
    curl("POST", f"/exec/{exec_id}/start", '{"Detach": false}'), curl("GET", f"/exec/{exec_id}/json")
    network = json.loads(curl("POST", "/networks/create", json.dumps({"Name": name, "Driver": "bridge"})))["Id"]
    curl("POST", f"/networks/{network}/connect", json.dumps({"Container": running}))
    curl("POST", f"/networks/{network}/disconnect", json.dumps({"Container": running}))
    curl("DELETE", f"/networks/{network}"), curl("GET", "/networks")
    (
        curl("POST", "/volumes/create", json.dumps({"Name": name})),
        curl("GET", "/volumes"),
        curl("DELETE", f"/volumes/{name}"),
    )
    curl("POST", f"/containers/{running}/stop?t=0"), curl("DELETE", f"/containers/{running}")
    curl("GET", f"/events?since={int(time.time()) - 5}&until={int(time.time()) + 1}")
    return time.monotonic() - started


OUTPUT = Path("reports/output")  # where the bench's pytest runs write (--output-dir)


def suite_wall(engine_name: str, transport: str, extra: list[str]) -> tuple[float, float]:
    """Wall time of a pytest run of the suites on one transport, and the time in its tests alone."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "suites",
            "-m",
            "not fuzz and not transports and not clients",
            "-q",
            "--engine",
            engine_name,
            "--transport",
            transport,
            "-p",
            "no:randomly",
            "--results",
            str(OUTPUT / f"bench-{transport}.json"),
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"pytest failed to run: {done.stdout[-300:]}{done.stderr[-300:]}")
    wall = time.monotonic() - started
    tests = json.loads((ROOT / OUTPUT / f"bench-{transport}.json").read_text())["tests"]
    return wall, sum(t["duration"] for t in tests)


def fuzz_rates(engine_name: str) -> dict:
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "suites/test_fuzz.py",
            "-q",
            "--engine",
            engine_name,
            "--transport",
            "unix",
            "--fuzz-examples",
            "3",
            "--results",
            str(OUTPUT / "bench-fuzz.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    minutes = (time.monotonic() - started) / 60
    tests = [t for t in json.loads((ROOT / OUTPUT / "bench-fuzz.json").read_text())["tests"] if t.get("fuzz")]
    cases = sum(t["fuzz"]["cases"] for t in tests)
    seconds = sum(t["duration"] for t in tests)
    reached = sum(1 for t in tests if t["fuzz"]["reached_2xx"])
    return {
        "operations": len(tests),
        "cases": cases,
        "cases_per_s": cases / seconds if seconds else 0,
        "reached_2xx": reached,
        "reached_per_min": reached / minutes if minutes else 0,
    }


def main(argv: list[str]) -> int:
    global OUTPUT
    parser = argparse.ArgumentParser(
        prog="python -m perf.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", default="docker-28.5")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--output-dir", default="reports/output", help="where bench.json and its runs' results go")
    parser.add_argument("--out", help="bench.json's path (default OUTPUT_DIR/bench.json)")
    parser.add_argument("--from", dest="source", help="analyse this run (results.json, or its directory) only")
    parser.add_argument(
        "--matrix", help="a matrix run of all engines made before (results.json or its directory): its wall time, areas"
    )
    parser.add_argument("--no-fuzz", action="store_true", help="leave out the fuzz throughput (about 3 minutes)")
    parser.add_argument(
        "--no-clients", action="store_true", help="leave out the real clients over three transports (about 4 minutes)"
    )
    parser.add_argument(
        "--no-transports", action="store_true", help="leave out the suites per transport and the curl flows"
    )
    parser.add_argument(
        "--no-fresh", action="store_true", help="leave out a fresh machine's first report (about 5 minutes)"
    )
    args = parser.parse_args(argv)
    OUTPUT = Path(args.output_dir)
    out = ROOT / (args.out or OUTPUT / "bench.json")
    if args.source:
        return from_run(Path(args.source), out)
    try:
        engine_spec(args.engine)
    except UnknownEngine as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if args.engine not in ENGINES or args.starts < 1 or args.requests < 1:
        print("bench: give a catalog engine, and --starts and --requests of 1 or more", file=sys.stderr)
        return 2
    host_engine.up()
    host = docker.from_env(timeout=120)
    sweep(host)
    run = Run.new()
    pool = EnginePool(host, run, say=lambda line: print(f"  {line}", flush=True))
    result: dict = {"engine": args.engine}
    try:
        print(f"bench: ready time of {args.engine}, {args.starts} starts", flush=True)
        result["ready"] = ready_times(pool, args.engine, args.starts)
        pool.on_started = None
        engine = pool.get(args.engine)
        print(f"bench: latency, {args.requests} requests per URL and transport", flush=True)
        result["latency"] = {t: latency(engine, t, args.requests) for t in TRANSPORTS}
        print("bench: client cost per request (unix)", flush=True)
        result["client_costs"] = client_costs(engine, args.requests)
        if not args.no_transports:
            print("bench: documented flows by curl, per transport", flush=True)
            result["flows_curl_s"] = {t: curl_flows(engine, t) for t in TRANSPORTS}
    finally:
        pool.close()
        remove_run(host, run)
        shutil.rmtree(run.temp_dir(), ignore_errors=True)
    if not args.no_transports:
        print("bench: scenario suites, per transport", flush=True)
        walls = {t: suite_wall(args.engine, t, []) for t in TRANSPORTS}
        result["suites_s"] = {t: wall for t, (wall, _) in walls.items()}
        result["suites_tests_s"] = {t: tests for t, (_, tests) in walls.items()}  # no interpreter or engine start
        result["suites_ratio"] = {t: result["suites_s"][t] / result["flows_curl_s"][t] for t in TRANSPORTS}
    print("bench: scenario suites, all three transports with -n 2", flush=True)
    result["suites_all_n2_s"] = suite_wall_all(args.engine)
    if not args.no_clients:
        print("bench: every real client, all three transports with -n 2", flush=True)
        result["clients_all_n2_s"] = clients_wall(args.engine)
    if not args.no_fuzz:
        print("bench: fuzz throughput (unix, 3 cases per operation and phase)", flush=True)
        result["fuzz"] = fuzz_rates(args.engine)
    if not args.no_fresh and args.engine == fresh.DEFAULT_ENGINE:  # the engine of the README's first command
        print("bench: a fresh machine's first report (README's first command; its images rebuilt)", flush=True)
        result["fresh"] = fresh.first_report(say=lambda line: print(f"  {line}", flush=True))
    results, lines, _ = timing.read_run(ROOT / OUTPUT / "bench-n2.json")
    analysis = timing.analyse(results, lines)
    figures = timing.run_figures(analysis)
    if args.engine == "docker-28.5":
        figures["suites_docker-28.5_3_transports_n2_s"] = result["suites_all_n2_s"]
    figures["client_ping_ratio_unix"] = result["client_costs"]["ratio_client_transcript"]
    if "clients_all_n2_s" in result:
        figures["clients_one_engine_3_transports_s"] = result["clients_all_n2_s"]
    if "fresh" in result:
        figures["fresh_machine_to_report_s"] = result["fresh"]["total_s"]
    result["where_time_went"] = analysis
    if args.matrix:  # the matrix takes a quarter of an hour: a run made before (CI's) speaks for it
        matrix_results, matrix_lines, _ = timing.read_run(Path(args.matrix))
        result["matrix_where_time_went"] = timing.analyse(matrix_results, matrix_lines)
        figures["matrix_all_engines_s"] = timing.run_figures(result["matrix_where_time_went"]).get(
            "matrix_all_engines_s"
        )
    result["targets"] = timing.targets(figures, analysis)
    if args.matrix:  # the matrix's own areas and tests say where its time went
        key = "matrix_all_engines_s"
        result["targets"][key] = timing.targets(figures, result["matrix_where_time_went"])[key]
    if result["targets"]["fresh_machine_to_report_s"]["status"] == "missed":  # its phases say where the time went
        result["targets"]["fresh_machine_to_report_s"]["top_contributors"] = fresh.contributors(result["fresh"])
    if result["targets"]["clients_one_engine_3_transports_s"]["status"] == "missed":  # the slowest clients
        tests = json.loads((ROOT / OUTPUT / "bench-clients.json").read_text())["tests"]
        slowest = sorted(tests, key=lambda t: -t["duration"])[:5]
        result["targets"]["clients_one_engine_3_transports_s"]["top_contributors"] = [
            f"{t['id'].rsplit('[', 1)[-1].rstrip(']')}: {t['duration']:.0f} s" for t in slowest
        ]
    if result["targets"]["client_ping_ratio_unix"]["status"] == "missed":
        result["targets"]["client_ping_ratio_unix"]["top_contributors"] = client_contributors(result["client_costs"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print("\n".join(table(result)))
    print("\n".join(timing.table(analysis, result["targets"])))
    print(f"bench: {out}")
    return 0


def from_run(source: Path, out: Path) -> int:
    """Where the time of a run made before went, and the targets its own figures speak to."""
    try:
        results, lines, logs = timing.read_run(source)
    except (OSError, ValueError) as error:
        print(f"bench: cannot read the run at {source}: {error}", file=sys.stderr)
        return 2
    if not logs:
        print(f"bench: no transcript beside {source}: engine times unknown", file=sys.stderr)
        return 2
    analysis = timing.analyse(results, lines)
    result = {
        "from": str(source),
        "transcripts": [str(log) for log in logs],
        "where_time_went": analysis,
        "targets": timing.targets(timing.run_figures(analysis), analysis),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print("\n".join(timing.table(analysis, result["targets"])))
    print(f"bench: {out}")
    return 0


def suite_wall_all(engine_name: str) -> float:
    """Wall time of the scenario suites on all three transports, two workers."""
    return _pytest_wall(["suites", "-m", "not fuzz and not clients", "-n", "2"], engine_name, "bench-n2.json")


def clients_wall(engine_name: str) -> float:
    """Wall time of every real client against one engine over all three transports, two workers (installed), as
    `tox -e clients` runs them: each worker starts an engine of its own and takes the next client."""
    command = ["suites/test_clients.py", "-m", "clients", "-n", "2"]
    return _pytest_wall(command, engine_name, "bench-clients.json")


def _pytest_wall(arguments: list[str], engine_name: str, results: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pytest", *arguments, "-q", "--engine", engine_name, "--results", str(OUTPUT / results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return time.monotonic() - started


def table(result: dict) -> list[str]:
    ready = result["ready"]
    lines = [
        f"{'measure':<44}{'suite':>10}{'baseline':>10}{'ratio':>8}",
        f"{'engine ready (s), median of ' + str(ready['samples']):<44}{ready['suite_s']:>10.3f}{ready['own_s']:>10.3f}"
        f"{ready['suite_s'] / ready['own_s']:>8.2f}   (+{ready['added_s']:.3f} s)",
    ]
    for transport, paths in result["latency"].items():
        for path, m in paths.items():
            lines.append(
                f"{'GET ' + path + ' ms, ' + transport:<44}"
                f"{m['suite_ms']:>10.3f}{m['curl_ms']:>10.3f}{m['ratio']:>8.2f}"
            )
    costs = result.get("client_costs")
    if costs:
        lines.append(
            f"{'client GET /_ping us, unix (vs curl keep-alive)':<44}{costs['client_transcript_us']:>10.0f}"
            f"{costs['curl_us']:>10.0f}{costs['ratio_client_transcript']:>8.2f}"
        )
        lines.append(
            f"  per request: bare http.client {costs.get('http_client_us', float('nan')):.0f} us,"
            f" requests Session {costs['session_request_us']:.0f} us, client {costs['client_us']:.0f} us,"
            f" transcript record {costs['transcript_record_us']:.1f} us, curl render {costs['curl_render_us']:.1f} us,"
            f" schema check of GET /version {costs['schema_check_version_us']:.0f} us"
        )
    for transport, seconds in result.get("suites_s", {}).items():
        lines.append(
            f"{'scenario suites s, ' + transport + ' (vs curl flows)':<44}{seconds:>10.1f}"
            f"{result['flows_curl_s'][transport]:>10.2f}{result['suites_ratio'][transport]:>8.1f}"
            f"   ({result['suites_tests_s'][transport]:.1f} s in tests)"
        )
    lines.append(f"{'scenario suites s, all transports, -n 2':<44}{result['suites_all_n2_s']:>10.1f}")
    if "fresh" in result:
        first = result["fresh"]
        install = "" if first["includes_host_engine_install"] else " (host engine install not included: unrecorded)"
        lines.append(f"{'fresh machine to first report s' + install:<44}{first['total_s']:>10.1f}")
        lines += [f"    {line}" for line in fresh.contributors(first)]
    if "fuzz" in result:
        fuzz = result["fuzz"]
        lines.append(
            f"fuzz: {fuzz['cases']} cases, {fuzz['cases_per_s']:.1f} cases/s, {fuzz['reached_2xx']}/"
            f"{fuzz['operations']} operations reached 2xx, {fuzz['reached_per_min']:.1f} per minute"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
