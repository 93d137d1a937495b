"""`python -m openapi fetch [--release R ...]`: the spec set (or engine releases' swagger.yaml) into the cache.

Useful before going offline; a run fetches what it lacks by itself.
"""

from __future__ import annotations

import argparse
import sys

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
        help="an engine release whose api/swagger.yaml to fetch, e.g. 26.1.5 (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        if args.release:
            for release in args.release:
                print(f"docker {release}: {specs.release_spec_text(release)[1]}")
            return 0
        for version in specs.set_versions():
            print(f"API {version}: {specs.spec_text(version)[1]}")
    except specs.SpecUnavailable as error:
        print(f"python -m openapi: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
