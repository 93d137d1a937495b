"""A fresh machine's first report, timed: the README's first command in a copy of the checkout with nothing beside
it, a Python with no tox, no pip cache, an empty spec cache and none of the first run's images.

What cannot be undone here is the host engine's install: its seconds come from this project's record of the
install on this machine (or apt's history of it), and the result says which. The images set aside are put back
if the run did not rebuild them, also after a crash (the next call puts them back first).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docker

from fixtures.engines import host as host_engine
from fixtures.engines import images
from fixtures.engines.catalog import DEFAULT_ENGINE

ROOT = Path(__file__).resolve().parent.parent
README_FIRST_COMMAND = ("pip install 'tox>=4,<5'", "tox -e conformance")  # README, "Run it"
ASIDE = "engine-conformance-aside"  # the repository the set-aside images wait in
BUILT = re.compile(r"built (\S+) in (\d+) s")
BUILT_SIDE_BY_SIDE = re.compile(r"built \d+ images side by side in (\d+) s")


def first_report(say=print) -> dict:
    """Seconds from the README's first command to the first report on a fresh machine, and where they went."""
    recipes = images.recipes_of([DEFAULT_ENGINE])  # the engine of the README's first command
    host = docker.from_env(timeout=images.BUILD_TIMEOUT)
    put_back(host, say)
    work = Path(tempfile.mkdtemp(prefix="engine-conformance-fresh-"))
    try:
        checkout = _copy_checkout(work / "checkout")
        say(f"fresh: a new Python at {work / 'python'} (untimed: the machine's own)")
        subprocess.run([sys.executable, "-m", "venv", str(work / "python")], check=True, timeout=300)
        tags = images.ensure_images(host, recipes, say)  # what the run must build again
        _set_aside(host, tags)
        env, phases, output = _fresh_env(work), {}, []
        for command in README_FIRST_COMMAND:
            say(f"fresh: {command}")
            started = time.monotonic()
            done = subprocess.run(
                ["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True, timeout=3600
            )
            phases[command] = round(time.monotonic() - started, 1)
            output.append(done.stdout + done.stderr)
            if done.returncode not in (0, 1):  # 1: tests failed, the report is there all the same
                tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
                raise RuntimeError(f"`{command}` exited {done.returncode}: {' | '.join(tail)}")
        report = checkout / "reports/output/report.html"
        if not report.exists():
            raise RuntimeError(f"no report at {report} after the README's first command")
        unbuilt = images.missing(host, recipes)
        if unbuilt:
            raise RuntimeError(f"the run did not build {', '.join(r.name for r in unbuilt)}: not a fresh machine's run")
        return _breakdown(phases, checkout, "".join(output))
    finally:
        put_back(host, say)
        shutil.rmtree(work, ignore_errors=True)
        host.close()


def _copy_checkout(target: Path) -> Path:
    """The checkout's files as git sees them (committed or not, ignored ones left out): nothing of its runs."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _fresh_env(work: Path) -> dict[str, str]:
    """The environment of a new user's shell: none of this process's tox, pip or virtualenv settings (tox's
    TOX_WORK_DIR would send the inner tox to the outer checkout's environments), caches of its own."""
    outer_bin = str(Path(sys.prefix) / "bin")
    ours = ("TOX_", "PIP_", "VIRTUALENV_", "CONFORMANCE_", "PYTHON")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours) and k != "VIRTUAL_ENV"}
    path = [part for part in env.get("PATH", "/usr/bin:/bin").split(":") if part != outer_bin]
    env.update(
        PATH=":".join([str(work / "python" / "bin"), *path]),  # `pip` and `tox` of the new Python
        CONFORMANCE_CACHE_DIR=str(work / "cache"),  # an empty spec cache
        PIP_NO_CACHE_DIR="1",  # downloads as a new machine makes them
        XDG_CACHE_HOME=str(work / "xdg-cache"),
        XDG_DATA_HOME=str(work / "xdg-data"),  # virtualenv's app-data (its seeded wheels)
    )
    if "CONFORMANCE_DEBIAN_MIRROR" in os.environ:  # where this machine's Debian mirror is, as a user would set it
        env["CONFORMANCE_DEBIAN_MIRROR"] = os.environ["CONFORMANCE_DEBIAN_MIRROR"]
    return env


def _set_aside(host: docker.DockerClient, tags: list[str]) -> None:
    for tag in tags:
        repository, version = tag.rsplit(":", 1)
        host.images.get(tag).tag(f"{ASIDE}/{repository.rsplit('/', 1)[1]}", version)
        host.images.remove(tag)  # the tag only: the image stays under its aside name


def put_back(host: docker.DockerClient, say=print) -> list[str]:
    """Every set-aside image: dropped if its recipe was rebuilt, else tagged back where it was."""
    done = []
    for image in host.images.list(name=f"{ASIDE}/*"):
        for aside in [tag for tag in image.tags if tag.startswith(f"{ASIDE}/")]:
            name, version = aside.removeprefix(f"{ASIDE}/").rsplit(":", 1)
            original = f"{images.REPOSITORY}/{name}:{version}"
            try:
                if not host.images.list(name=original):
                    image.tag(f"{images.REPOSITORY}/{name}", version)
                host.images.remove(aside)
                done.append(original)
            except docker.errors.APIError as error:  # e.g. 409: a stopped container still uses the old image
                say(f"fresh: {aside} stays set aside ({error.explanation}); `docker rmi {aside}` when it is free")
    return done


def _breakdown(phases: dict[str, float], checkout: Path, output: str) -> dict:
    """The total a fresh machine takes, by phase: host engine set-up, tox, image builds, the suites."""
    setup_s, setup_source = host_engine.setup_seconds()
    results = json.loads((checkout / "reports/output/results.json").read_text())
    pytest_wall = float(results.get("run", {}).get("wall_s") or 0)
    builds = {tag.split("/")[-1].split(":")[0]: float(seconds) for tag, seconds in BUILT.findall(output)}
    side_by_side = BUILT_SIDE_BY_SIDE.findall(output)
    builds_wall = float(side_by_side[-1]) if side_by_side else sum(builds.values())
    tox_s = phases[README_FIRST_COMMAND[1]]
    command_s = sum(phases.values())
    return {
        "total_s": round(command_s + (setup_s or 0), 1),
        "includes_host_engine_install": setup_s is not None,
        "phases_s": {
            "host engine install and start (recorded)": setup_s,
            "pip install tox": phases[README_FIRST_COMMAND[0]],
            "tox: its environment and the harness's dependencies": round(tox_s - pytest_wall, 1),
            "image builds (side by side)": builds_wall,
            "scenario suites and report": round(pytest_wall - builds_wall, 1),
        },
        "host_engine_install_source": setup_source,
        "image_builds_s": builds,
        "tests": _outcomes(results["tests"]),
    }


def _outcomes(tests: list[dict]) -> dict[str, int]:
    """Counts as the verdict gives them: a known deviation apart from a new failure."""
    outcomes: dict[str, int] = {}
    for test in tests:
        outcome = "Known" if test.get("known") else test["status"]
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return dict(sorted(outcomes.items()))


def contributors(fresh: dict) -> list[str]:
    """Where a fresh machine's first report spent its time, largest first."""
    phases = sorted(((s, p) for p, s in fresh["phases_s"].items() if s is not None), reverse=True)
    lines = [f"{phase}: {seconds:.0f} s" for seconds, phase in phases]
    builds = ", ".join(f"{name} {s:.0f} s" for name, s in sorted(fresh["image_builds_s"].items(), key=lambda i: -i[1]))
    return lines + ([f"images built: {builds}"] if builds else [])


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(
        prog="python -m perf.fresh",
        description="times the README's first command on a fresh machine, to the first report (no arguments)",
    ).parse_args(argv)
    try:
        fresh = first_report(say=lambda line: print(line, flush=True))
    except (RuntimeError, OSError, docker.errors.DockerException, subprocess.SubprocessError) as error:
        print(f"fresh: {error}", file=sys.stderr)
        return 1
    print(json.dumps(fresh, indent=1))
    print("\n".join(contributors(fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
