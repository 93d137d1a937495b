"""The Engine API specs the suite checks against: one set, the same bytes from whichever source answers.

The set is moby release v28.5.2's docs/api/v1.25.yaml ... v1.51.yaml (v1.51 is that release's
api/swagger.yaml), pinned by sha256 in openapi/SHA256SUMS; baselines and errata are made against
it. The spec of an API version comes from, in this order:

1. a directory given by configuration (--spec-dir or CONFORMANCE_SPEC_DIR): v1.NN.yaml files of
   the user's choosing, used as they are;
2. the cache (~/.cache/engine-conformance/openapi/v28.5.2/), checked against the pinned sums: a
   file that does not match is fetched again;
3. GitHub: moby/moby at tag v28.5.2;
4. Debian's source package docker.io 28.5.2, whose orig tarball holds the same files (one
   download brings every version; Debian's mirror answers where GitHub does not).
Every spec is reported by where it came from, a cached one by its original source. Upstream spec
files are never part of this repository.

Versions newer than the set: `python -m openapi fetch --release 29.0.0` (where GitHub answers) brings the
specs a later moby release adds beyond the set, pinned by their own sums (release/29.0.0/v1.52.yaml in
SHA256SUMS), into the cache, and runs use them from there. An engine whose API version is above the newest
spec held is judged against the newest there is (load_spec, judged_with), and the results say so.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

import requests
import yaml
from packaging.version import Version

from openapi import debian
from openapi.errata import apply_errata

SPEC_RELEASE = "28.5.2"  # the moby release whose docs/api specs are the suite's spec set
GITHUB = "https://raw.githubusercontent.com/moby/moby/{tag}/{path}"
SUMS_FILE = Path(__file__).parent / "SHA256SUMS"
CACHE_ROOT = Path(
    os.environ.get("CONFORMANCE_CACHE_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "engine-conformance"
)
CACHE_DIR = CACHE_ROOT / "openapi" / f"v{SPEC_RELEASE}"
RELEASES_CACHE = CACHE_ROOT / "openapi" / "releases"
PARSED_CACHE = CACHE_ROOT / "openapi" / "parsed"  # specs as parsed, by the sha256 of their text
DOWNLOAD_TIMEOUT = 60


class SpecUnavailable(RuntimeError):
    pass


@functools.cache
def pinned_sums() -> dict[str, str]:
    """File name -> sha256: v1.NN.yaml for the spec set, engine/docker-RELEASE.yaml for release swaggers."""
    sums = {}
    for line in SUMS_FILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            digest, _, name = line.partition("  ")
            sums[name.strip()] = digest
    return sums


def set_versions() -> list[str]:
    """The API versions of the spec set, oldest first."""
    versions = [name[1:-5] for name in pinned_sums() if name.startswith("v")]
    return sorted(versions, key=Version)


def release_sets() -> dict[str, dict[str, str]]:
    """Release -> {v1.NN.yaml: sha256}: the specs later moby releases add beyond the set, as SHA256SUMS pins them."""
    sets: dict[str, dict[str, str]] = {}
    for name, digest in pinned_sums().items():
        if name.startswith("release/"):
            _, release, file = name.split("/")
            sets.setdefault(release, {})[file] = digest
    return sets


def _fetched_release_spec(name: str) -> tuple[str, str] | None:
    """A spec of a release set, when `python -m openapi fetch --release` brought it into the cache (newest first)."""
    for release in sorted(release_sets(), key=Version, reverse=True):
        expected = release_sets()[release].get(name)
        cached = _cached(CACHE_ROOT / "openapi" / f"v{release}" / name, expected) if expected else None
        if cached:
            return cached
    return None


def held_versions(spec_dir: Path | None = None) -> list[str]:
    """The API versions a run can judge with, oldest first: the set's, the fetched release sets', --spec-dir's."""
    versions = set(set_versions())
    fetched = {name for files in release_sets().values() for name in files if _fetched_release_spec(name)}
    versions.update(name[1:-5] for name in fetched)
    spec_dir = spec_dir or spec_dir_setting()
    if spec_dir and spec_dir.is_dir():
        versions.update(path.name[1:-5] for path in spec_dir.glob("v1.*.yaml"))
    return sorted(versions, key=Version)


def judged_with(version: str, spec_dir: Path | None = None) -> str:
    """The spec version an API version is judged with: its own, or the newest held where it is newer than all."""
    newest = held_versions(spec_dir)[-1]
    return newest if Version(version) > Version(newest) else version


def fallback_note(version: str, spec_dir: Path | None = None) -> str | None:
    """ "API 1.52 judged with the 1.51 spec" where the version is newer than every spec held, else None."""
    judged = judged_with(version, spec_dir)
    return None if judged == version else f"API {version} judged with the {judged} spec"


def spec_dir_setting() -> Path | None:
    configured = os.environ.get("CONFORMANCE_SPEC_DIR")
    return Path(configured) if configured else None


def spec_text(version: str, spec_dir: Path | None = None) -> tuple[str, str]:
    """The YAML text of the spec of an API version and where it came from."""
    name = f"v{version}.yaml"
    spec_dir = spec_dir or spec_dir_setting()
    if spec_dir and (spec_dir / name).is_file():
        return (spec_dir / name).read_text(), str(spec_dir / name)
    expected = pinned_sums().get(name)
    if not expected:
        fetched = _fetched_release_spec(name)
        if fetched:
            return fetched
        raise SpecUnavailable(
            f"API {version} is not in the suite's spec set (moby v{SPEC_RELEASE}: API "
            f"{set_versions()[0]} to {set_versions()[-1]}): give a directory holding {name} "
            "with --spec-dir"
        )
    cached = _cached(CACHE_DIR / name, expected)
    if cached:
        return cached
    corrupt = (CACHE_DIR / name).is_file()
    try:
        return _fetch_from_github(f"docs/api/{name}", expected, CACHE_DIR / name)
    except SpecUnavailable as github:
        try:
            return _fetch_set_from_debian(name)
        except SpecUnavailable as from_debian:
            what = f"the cached {CACHE_DIR / name} is corrupt (sha256 mismatch); " if corrupt else ""
            raise SpecUnavailable(
                f"{what}cannot get the spec of API {version} ({github}; {from_debian}): "
                f"give a directory holding {name} with --spec-dir or CONFORMANCE_SPEC_DIR"
            ) from None


def fetch_release_set(release: str) -> dict[str, str]:
    """The specs RELEASE adds beyond the set ({v1.NN.yaml: source}), from GitHub into the cache; runs use them."""
    files = release_sets().get(release)
    if not files:
        pinned = ", ".join(sorted(release_sets(), key=Version)) or "none"
        raise SpecUnavailable(f"no spec set of moby {release} is pinned in {SUMS_FILE.name} (pinned: {pinned})")
    cache = CACHE_ROOT / "openapi" / f"v{release}"
    sources = {}
    for name, expected in sorted(files.items()):
        cached = _cached(cache / name, expected)
        # moby keeps the specs in api/docs/ from Docker 29 on (docs/api/ before)
        sources[name] = (cached or _fetch_from_github(f"api/docs/{name}", expected, cache / name, release))[1]
    return sources


def release_spec_text(release: str) -> tuple[str, str]:
    """api/swagger.yaml as engine RELEASE ships it (for comparing a release with the spec set), and its source."""
    name = f"engine/docker-{release}.yaml"
    expected = pinned_sums().get(name)
    if not expected:
        raise SpecUnavailable(
            f"no pinned swagger.yaml for docker {release}: pinned are "
            f"{', '.join(n[14:-5] for n in pinned_sums() if n.startswith('engine/'))}"
        )
    cache = RELEASES_CACHE / f"docker-{release}.yaml"
    cached = _cached(cache, expected)
    if cached:
        return cached
    try:
        return _fetch_from_github("api/swagger.yaml", expected, cache, release)
    except SpecUnavailable as github:
        try:
            source, content = debian.release_swagger(release)
        except (requests.RequestException, debian.NotInDebian, OSError) as error:
            raise SpecUnavailable(f"cannot get docker {release}'s swagger.yaml ({github}; Debian: {error})") from None
        return _keep(content, expected, source, cache), source


def _cached(path: Path, expected: str) -> tuple[str, str] | None:
    """A cached file and its original source, when its sha256 is the pinned one."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != expected:
        return None
    source_file = path.with_name(path.name + ".source")
    source = source_file.read_text().strip() if source_file.is_file() else f"cache {path}"
    return content.decode(), source


_UNREACHABLE: dict[str, str] = {}  # source -> why it failed, so that a run asks an unreachable host once


def moby_tag(release: str) -> str:
    """moby's git tag of an engine release: v28.5.2, then docker-v29.0.0 from Docker 29 on."""
    return f"docker-v{release}" if Version(release) >= Version("29") else f"v{release}"


def _fetch_from_github(path: str, expected: str, cache: Path, release: str = SPEC_RELEASE) -> tuple[str, str]:
    if "github" in _UNREACHABLE:
        raise SpecUnavailable(f"GitHub: {_UNREACHABLE['github']}")
    url = GITHUB.format(tag=moby_tag(release), path=path)
    try:
        response = requests.get(url, timeout=DOWNLOAD_TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as error:
        _UNREACHABLE["github"] = type(error).__name__
        raise SpecUnavailable(f"GitHub: {type(error).__name__}") from None
    return _keep(response.content, expected, url, cache), url


def _fetch_set_from_debian(name: str) -> tuple[str, str]:
    """Every file of the spec set from Debian's source package (one download), cached; the one asked for."""
    if "debian" in _UNREACHABLE:
        raise SpecUnavailable(f"Debian: {_UNREACHABLE['debian']}")
    try:
        source, files = debian.spec_set(SPEC_RELEASE)
    except (requests.RequestException, debian.NotInDebian, OSError, EOFError) as error:
        _UNREACHABLE["debian"] = f"{type(error).__name__}: {error}"[:200]
        raise SpecUnavailable(f"Debian: {_UNREACHABLE['debian']}") from None
    sums = pinned_sums()
    for file, content in files.items():
        if file in sums and hashlib.sha256(content).hexdigest() == sums[file]:
            _keep(content, sums[file], source, CACHE_DIR / file)
    cached = _cached(CACHE_DIR / name, sums[name])
    if cached is None:
        raise SpecUnavailable(f"Debian: {source} holds no {name} of the pinned sha256")
    return cached


def _keep(content: bytes, expected: str, source: str, cache: Path) -> str:
    """The text, once its sha256 is the pinned one; cached with its source for the next runs."""
    if hashlib.sha256(content).hexdigest() != expected:
        raise SpecUnavailable(f"{source} does not match its pinned sha256: not used")
    cache.parent.mkdir(parents=True, exist_ok=True)
    for path, data in ((cache.with_name(cache.name + ".source"), source.encode()), (cache, content)):
        partial = path.with_name(f".{path.name}.{os.getpid()}")  # parallel workers never read half a file
        partial.write_bytes(data)
        os.replace(partial, path)
    return content.decode()


def parsed(text: str) -> dict:
    """The YAML TEXT parsed: from the parsed cache when it was parsed before (YAML construction takes about
    0.4 s a spec, in every worker of every run; the cached copy loads in a few ms), else parsed and kept."""
    key = f"{hashlib.sha256(text.encode()).hexdigest()}-pyyaml{yaml.__version__}.pickle"
    try:
        return pickle.loads((PARSED_CACHE / key).read_bytes())  # written by this function only
    except Exception:  # missing, partial or from another Python: parse again
        pass
    spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        PARSED_CACHE.mkdir(parents=True, exist_ok=True)
        partial = PARSED_CACHE / f".{key}.{os.getpid()}"
        partial.write_bytes(pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, PARSED_CACHE / key)
    except OSError:
        pass  # a read-only cache: parse every time
    return spec


@functools.cache
def load_spec(version: str, spec_dir: Path | None = None) -> dict:
    """The spec of an API version as a dict, errata applied, status codes as strings."""
    judged = judged_with(version, spec_dir)
    text, source = spec_text(judged, spec_dir)
    try:
        spec = parsed(text)
    except yaml.YAMLError as error:
        raise SpecUnavailable(f"{source}: not valid YAML ({getattr(error, 'problem', error)})") from None
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"] = {str(code): answer for code, answer in operation["responses"].items()}
    spec["x-source"] = source
    spec["x-judged-with"] = judged  # the spec's own version: older than VERSION when none newer is held
    return apply_errata(spec, judged)
