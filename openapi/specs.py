"""Where the suite gets the Engine API spec of an API version, in this order:

1. a directory given by configuration (--spec-dir or CONFORMANCE_SPEC_DIR): v1.NN.yaml files;
2. the local cache (~/.cache/engine-conformance/openapi);
3. moby's api/docs/v1.NN.yaml at a pinned commit, checked against openapi/SHA256SUMS, then cached;
4. for the API version of an engine Debian ships (1.41, 1.45, 1.51): the api/swagger.yaml of that
   release from Debian's golang-github-docker-docker-dev, checked against the pinned sum of
   engine/docker-RELEASE.yaml, then cached.
Upstream spec files are never part of this repository.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import requests
import yaml

from openapi import debian
from openapi.errata import apply_errata

UPSTREAM_COMMIT = "b985e2313a8676e18072b442911fc8f64f17d440"  # moby/moby master the sums were taken at
UPSTREAM_URL = "https://raw.githubusercontent.com/moby/moby/{commit}/api/docs/v{version}.yaml"
SUMS_FILE = Path(__file__).parent / "SHA256SUMS"
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "engine-conformance" / "openapi"
DOWNLOAD_TIMEOUT = 60


class SpecUnavailable(RuntimeError):
    pass


def pinned_sums() -> dict[str, str]:
    sums = {}
    for line in SUMS_FILE.read_text().splitlines():
        digest, _, name = line.partition("  ")
        sums[name.strip()] = digest
    return sums


def spec_dir_setting() -> Path | None:
    configured = os.environ.get("CONFORMANCE_SPEC_DIR")
    return Path(configured) if configured else None


def spec_text(version: str, spec_dir: Path | None = None) -> tuple[str, str]:
    """The YAML text of the spec of an API version and where it came from."""
    name = f"v{version}.yaml"
    spec_dir = spec_dir or spec_dir_setting()
    if spec_dir and (spec_dir / name).is_file():
        return (spec_dir / name).read_text(), str(spec_dir / name)
    cached = CACHE_DIR / name
    release = debian.release_of(version)
    for candidate in (cached, CACHE_DIR / f"docker-{release}.yaml"):
        if candidate.is_file():
            return candidate.read_text(), str(candidate)
    expected = pinned_sums().get(name)
    if not expected:
        raise SpecUnavailable(f"no pinned spec for API {version}: give a directory holding {name} with --spec-dir")
    url = UPSTREAM_URL.format(commit=UPSTREAM_COMMIT, version=version)
    try:
        response = requests.get(url, timeout=DOWNLOAD_TIMEOUT)
        response.raise_for_status()
        return _checked(response.content, expected, url, cached), url
    except requests.RequestException as error:
        upstream = f"{type(error).__name__}"
    return _from_debian(version, upstream)


def _from_debian(version: str, upstream: str) -> tuple[str, str]:
    release = debian.release_of(version)
    name = f"v{version}.yaml"
    if release is None:
        raise SpecUnavailable(f"cannot download the spec of API {version} ({upstream}): "
                              f"give a directory holding {name} with --spec-dir or CONFORMANCE_SPEC_DIR")
    source = f"Debian {debian.PACKAGE} ({release})"
    try:
        content = debian.swagger(version)
    except (requests.RequestException, debian.NotInDebian, OSError) as error:
        raise SpecUnavailable(f"cannot download the spec of API {version} ({upstream}) nor take it from {source} "
                              f"({error}): give a directory holding {name} with --spec-dir") from None
    sums_name = f"engine/docker-{release}.yaml"
    return _checked(content, pinned_sums().get(sums_name, ""), source, CACHE_DIR / f"docker-{release}.yaml"), source


def _checked(content: bytes, expected: str, source: str, cache: Path) -> str:
    """The text, once its sha256 is the pinned one; cached for the next runs."""
    if hashlib.sha256(content).hexdigest() != expected:
        raise SpecUnavailable(f"{source} does not match its pinned sha256: not used")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(content)
    return content.decode()


@functools.lru_cache(maxsize=None)
def load_spec(version: str, spec_dir: Path | None = None) -> dict:
    """The spec of an API version as a dict, errata applied, status codes as strings."""
    text, source = spec_text(version, spec_dir)
    spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"] = {str(code): answer for code, answer in operation["responses"].items()}
    spec["x-source"] = source
    return apply_errata(spec, version)
