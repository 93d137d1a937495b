"""`python -m openapi fetch [--release R ...]`: the spec set, or engine releases' specs, into the cache.

Useful before going offline; a run fetches what it lacks of the set by itself. `--release R` brings what
SHA256SUMS pins of release R: its api/swagger.yaml (to compare a release with the set), and the specs it
adds beyond the set (29.0.0: API 1.52), which runs then use.
"""

from __future__ import annotations

import argparse
import sys

from packaging.version import Version

from openapi import specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openapi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="the spec set of the suite (default) or releases' swagger.yaml")
    fetch.add_argument(
        "--release",
        action="append",
        default=[],
        metavar="R",
        help="an engine release whose pinned specs to fetch, e.g. 26.1.5 or v29.0.0 (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        if args.release:
            for release in (r.removeprefix("v") for r in args.release):
                fetch_release(release)
            return 0
        for version in specs.set_versions():
            print(f"API {version}: {specs.spec_text(version)[1]}")
    except specs.SpecUnavailable as error:
        print(f"python -m openapi: {error}", file=sys.stderr)
        return 1
    return 0


def fetch_release(release: str) -> None:
    """What SHA256SUMS pins of RELEASE: its swagger.yaml and the specs it adds beyond the set."""
    swagger = f"engine/docker-{release}.yaml" in specs.pinned_sums()
    if not swagger and release not in specs.release_sets():
        swaggers = {name[14:-5] for name in specs.pinned_sums() if name.startswith("engine/")}
        pinned = ", ".join(sorted(swaggers | set(specs.release_sets()), key=Version))
        raise specs.SpecUnavailable(f"nothing of docker {release} is pinned in SHA256SUMS: choose from {pinned}")
    if swagger:
        print(f"docker {release}: {specs.release_spec_text(release)[1]}")
    if release in specs.release_sets():
        for name, source in specs.fetch_release_set(release).items():
            print(f"docker {release} API {name[1:-5]}: {source}")


if __name__ == "__main__":
    sys.exit(main())
