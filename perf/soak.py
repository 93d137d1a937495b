"""python -m perf.soak: back-to-back runs of the suites on one engine, some killed midway.

Fails (exit 1) on anything left on the host after the last run (the suite's containers, networks
and volumes, its temporary directories, its processes) and lists every test whose outcome
differed between the runs that finished. Killed runs are cleaned by the next run's sweep.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import docker

from fixtures.engines.catalog import ENGINES
from fixtures.run import OWNER_LABEL, TEMP_PREFIX

ROOT = Path(__file__).resolve().parent.parent


def leftovers(host: docker.DockerClient) -> list[str]:
    selector = {"label": OWNER_LABEL}
    found = [f"container {c.name}" for c in host.containers.list(all=True, filters=selector)]
    found += [f"network {n.name}" for n in host.networks.list(filters=selector)]
    found += [f"volume {v.name}" for v in host.volumes.list(filters=selector)]
    found += [f"directory {p}" for p in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*")]
    processes = subprocess.run(["pgrep", "-af", "pytest suites"], capture_output=True, text=True).stdout
    found += [f"process {line}" for line in processes.splitlines() if str(os.getpid()) not in line.split()[0]]
    return found


def one_run(index: int, engine: str, kill_after: float | None, out: Path, extra: list[str]) -> str:
    results = out / f"run-{index:02d}.json"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "suites",
        "-m",
        "not fuzz",
        "-q",
        "-p",
        "no:randomly",
        "--engine",
        engine,
        "--results",
        str(results),
        *extra,
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=kill_after)
        return f"run {index}: exit {process.returncode} in {time.monotonic() - started:.0f} s"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the whole run, as a crash or an OOM kill would
        process.wait(timeout=30)
        results.unlink(missing_ok=True)
        return f"run {index}: killed with SIGKILL after {kill_after:.0f} s"


def flaky(out: Path) -> dict[str, dict[str, int]]:
    """Tests whose status differed between finished runs: test -> status -> runs."""
    statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path in sorted(out.glob("run-*.json")):
        for test in json.loads(path.read_text())["tests"]:
            statuses[test["id"]][test["status"]] += 1
    return {test: dict(seen) for test, seen in statuses.items() if len(seen) > 1}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m perf.soak", description=__doc__)
    parser.add_argument("--engine", default="docker-28.5")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--kills", type=int, default=3, help="how many of the runs get SIGKILL midway")
    parser.add_argument("--kill-after", type=float, default=20.0, help="seconds into a run to kill it")
    parser.add_argument("--out", default="reports/output/soak")
    args, extra = parser.parse_known_args(argv)
    if args.engine not in ENGINES or args.runs < 1 or not 0 <= args.kills < args.runs:
        print("soak: give a catalog engine, --runs of 1 or more and fewer --kills than runs", file=sys.stderr)
        return 2
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("run-*.json"):
        old.unlink()
    # kills spread over the runs, never the last one: its sweep and teardown are what is checked
    killed = {round((i + 1) * args.runs / (args.kills + 1)) - 1 for i in range(args.kills)}
    started = time.monotonic()
    for index in range(args.runs):
        print(
            f"soak: {one_run(index, args.engine, args.kill_after if index in killed else None, out, extra)}", flush=True
        )
    left = leftovers(docker.from_env())
    changed = flaky(out)
    for item in left:
        print(f"soak: LEFT ON THE HOST: {item}")
    for test, seen in sorted(changed.items()):
        print(f"soak: FLAKY: {test}: {seen}")
    finished = len(list(out.glob("run-*.json")))
    print(
        f"soak: {args.runs} runs ({len(killed)} killed, {finished} finished) in {time.monotonic() - started:.0f} s: "
        f"{len(left)} leftovers, {len(changed)} tests whose outcome changed"
    )
    return 1 if left or changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
