"""Spec acquisition: Debian's indexes and archives, the pinned set, the checked cache, one-line failures."""

import hashlib
import io
import tarfile

import pytest

from openapi import debian, specs


def _ar(members: dict[str, bytes]) -> bytes:
    out = b"!<arch>\n"
    for name, data in members.items():
        out += (
            f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
            + data
            + (b"\n" if len(data) % 2 else b"")
        )
    return out


def _tar_xz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:xz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_deb_member_is_found_past_odd_sized_ones():
    deb = _ar({"debian-binary": b"2.0\n", "control.tar.xz": b"odd", "data.tar.xz": b"the data"})
    assert debian._ar_member(deb, "data.tar") == b"the data"
    with pytest.raises(debian.NotInDebian):
        debian._ar_member(deb, "nothing")


def test_the_package_is_found_in_the_index():
    index = (
        "Package: other\nFilename: pool/o.deb\n\n"
        "Package: golang-github-docker-docker-dev\nVersion: 28.5.2\nDescription: x\n more\nFilename: pool/d.deb\n"
    )
    assert debian._filename(index, debian.PACKAGE) == "pool/d.deb"


def test_the_orig_tarballs_of_a_release_are_found_in_a_sources_index():
    sources = (
        "Package: docker.io\nVersion: 27.5.1+dfsg4-1\nDirectory: pool/main/d/docker.io\nChecksums-Sha256:\n"
        " aa 1 docker.io_27.5.1+dfsg4.orig.tar.xz\n\n"
        "Package: docker.io\nVersion: 28.5.2+dfsg4-2\nDirectory: pool/main/d/docker.io\nChecksums-Sha256:\n"
        " bb 2 docker.io_28.5.2+dfsg4-2.dsc\n cc 3 docker.io_28.5.2+dfsg4.orig.tar.xz\n\n"
        "Package: docker.io-other\nVersion: 28.5.2+x\nDirectory: d\nChecksums-Sha256:\n dd 4 other.orig.tar.xz\n"
    )
    assert debian.orig_tarballs(sources, "docker.io", "28.5.2") == [
        ("pool/main/d/docker.io", "docker.io_28.5.2+dfsg4.orig.tar.xz", "cc")
    ]
    assert debian.orig_tarballs(sources, "docker.io", "29.0.0") == []


def test_the_docs_api_specs_are_taken_from_an_orig_tarball():
    tarball = _tar_xz(
        {
            "moby-1/engine/docs/api/v1.41.yaml": b"a",
            "moby-1/engine/docs/api/v1.24.md": b"b",
            "moby-1/engine/api/swagger.yaml": b"c",
            "moby-1/vendor/x/docs/api/v1.41.yaml.bak": b"d",
        }
    )
    assert debian.docs_api(tarball) == {"v1.41.yaml": b"a"}


def test_the_pinned_set_is_every_api_version_from_1_25_to_1_51():
    assert specs.set_versions() == [f"1.{minor}" for minor in range(25, 52)]


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty cache, GitHub unreachable and a Debian that serves the given files."""
    monkeypatch.setattr(specs, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(specs, "_UNREACHABLE", {"github": "ConnectionError"})
    served = {}
    monkeypatch.setattr(debian, "spec_set", lambda release: ("Debian source package docker.io (x.orig.tar.xz)", served))
    return served


def _pin(monkeypatch, files: dict[str, bytes]) -> None:
    monkeypatch.setattr(specs, "pinned_sums", lambda: {n: hashlib.sha256(d).hexdigest() for n, d in files.items()})


def test_a_spec_from_debian_is_cached_with_its_original_source(offline, monkeypatch):
    _pin(monkeypatch, {"v1.41.yaml": b"swagger: '2.0'\n", "v1.42.yaml": b"swagger: '2.0' # 42\n"})
    offline.update({"v1.41.yaml": b"swagger: '2.0'\n", "v1.42.yaml": b"swagger: '2.0' # 42\n"})
    assert specs.spec_text("1.41") == ("swagger: '2.0'\n", "Debian source package docker.io (x.orig.tar.xz)")
    offline.clear()  # the one download brought the whole set
    assert specs.spec_text("1.42")[1] == "Debian source package docker.io (x.orig.tar.xz)"


def test_a_corrupt_cached_spec_is_fetched_again(offline, monkeypatch):
    _pin(monkeypatch, {"v1.41.yaml": b"good"})
    offline["v1.41.yaml"] = b"good"
    specs.CACHE_DIR.mkdir(parents=True)
    (specs.CACHE_DIR / "v1.41.yaml").write_bytes(b"corrupt")
    assert specs.spec_text("1.41")[0] == "good"
    assert (specs.CACHE_DIR / "v1.41.yaml").read_bytes() == b"good"


def test_a_corrupt_cached_spec_that_cannot_be_fetched_again_is_named_in_one_line(offline, monkeypatch):
    _pin(monkeypatch, {"v1.41.yaml": b"good"})
    specs.CACHE_DIR.mkdir(parents=True)
    (specs.CACHE_DIR / "v1.41.yaml").write_bytes(b"corrupt")
    with pytest.raises(specs.SpecUnavailable) as raised:
        specs.spec_text("1.41")
    message = str(raised.value)
    assert "\n" not in message and str(specs.CACHE_DIR / "v1.41.yaml") in message and "--spec-dir" in message


def test_a_version_outside_the_set_asks_for_a_spec_dir(offline):
    with pytest.raises(specs.SpecUnavailable, match=r"API 1.52 is not in the suite's spec set .* --spec-dir"):
        specs.spec_text("1.52")


def test_a_spec_dir_comes_first_and_is_used_as_it_is(offline, tmp_path):
    (tmp_path / "v1.41.yaml").write_text("mine")
    assert specs.spec_text("1.41", tmp_path) == ("mine", str(tmp_path / "v1.41.yaml"))


def test_a_spec_is_parsed_once_then_read_from_the_parsed_cache(tmp_path, monkeypatch):
    from openapi import specs

    monkeypatch.setattr(specs, "PARSED_CACHE", tmp_path / "parsed")
    text = "swagger: '2.0'\npaths:\n  /_ping:\n    get:\n      responses:\n        200: {description: OK}\n"
    first = specs.parsed(text)
    (kept,) = (tmp_path / "parsed").iterdir()
    monkeypatch.setattr(specs.yaml, "load", lambda *a, **k: pytest.fail("parsed again"))
    assert (
        specs.parsed(text)
        == first
        == {"swagger": "2.0", "paths": {"/_ping": {"get": {"responses": {200: {"description": "OK"}}}}}}
    )
    kept.write_bytes(b"not a pickle")
    monkeypatch.undo()
    monkeypatch.setattr(specs, "PARSED_CACHE", tmp_path / "parsed")
    assert specs.parsed(text) == first  # a damaged copy is parsed again


VERSION_SPEC = """swagger: '2.0'
info: {{version: '{version}'}}
definitions: {{}}
paths:
  /version:
    get:
      responses:
        200:
          description: OK
          schema:
            type: object
            properties:
              Version: {{type: string}}
              ApiVersion: {{type: string}}
              MinAPIVersion: {{type: string}}
"""

# An engine newer than the set: Docker 29.0.0's GET /version, its fields as moby's api/swagger.yaml at tag
# docker-v29.0.0 describes them (SystemVersion), the numbers that release reports.
DOCKER_29_VERSION = {"Version": "29.0.0", "ApiVersion": "1.52", "MinAPIVersion": "1.44", "Os": "linux"}


@pytest.fixture
def held(offline, tmp_path, monkeypatch):
    """The set is v1.50 and v1.51, both cached; no release set fetched."""
    files = {name: VERSION_SPEC.format(version=name[1:-5]).encode() for name in ("v1.50.yaml", "v1.51.yaml")}
    _pin(monkeypatch, files)
    monkeypatch.setattr(specs, "CACHE_ROOT", tmp_path / "root")
    specs.CACHE_DIR.mkdir(parents=True)
    for name, data in files.items():
        (specs.CACHE_DIR / name).write_bytes(data)
    specs.load_spec.cache_clear()
    yield files
    specs.load_spec.cache_clear()


def test_an_engine_above_the_newest_spec_held_is_judged_with_it_and_the_run_says_so(held):
    from openapi.validate import mismatches
    from reports import collect

    assert specs.judged_with("1.52") == "1.51" and specs.judged_with("1.50") == "1.50"
    spec = specs.load_spec(DOCKER_29_VERSION["ApiVersion"])
    assert spec["x-judged-with"] == "1.51" and spec["info"]["version"] == "1.51"
    assert list(mismatches(spec, "GET", "/version", 200, DOCKER_29_VERSION)) == []
    assert collect._spec_fallbacks(["1.51", "1.52"], None) == ["API 1.52 judged with the 1.51 spec"]


def test_a_fetched_release_set_judges_its_own_versions(held, monkeypatch):
    v152 = VERSION_SPEC.format(version="1.52").encode()
    _pin(
        monkeypatch,
        {**held, "release/29.0.0/v1.52.yaml": v152},
    )
    assert specs.judged_with("1.52") == "1.51"  # pinned, not fetched: the run stays with the set
    (specs.CACHE_ROOT / "openapi" / "v29.0.0").mkdir(parents=True)
    (specs.CACHE_ROOT / "openapi" / "v29.0.0" / "v1.52.yaml").write_bytes(v152)
    assert specs.judged_with("1.52") == "1.52" and specs.fallback_note("1.52") is None
    assert specs.spec_text("1.52")[0] == v152.decode()
    assert specs.judged_with("1.53") == "1.52"


def test_fetching_a_release_set_offline_fails_in_one_line(held, monkeypatch, capsys):
    from openapi.__main__ import main

    _pin(monkeypatch, {**held, "release/29.0.0/v1.52.yaml": b"x"})
    assert main(["fetch", "--release", "v29.0.0"]) == 1
    assert capsys.readouterr().err.strip() == "python -m openapi: GitHub: ConnectionError"


def test_moby_tags_its_releases_docker_v_from_29_on():
    assert (specs.moby_tag("28.5.2"), specs.moby_tag("29.0.0")) == ("v28.5.2", "docker-v29.0.0")
