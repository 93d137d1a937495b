"""Engine API specs from Debian's mirror, which is reachable where GitHub is not.

- The spec set: the orig tarball of Debian's source package docker.io of the set's release holds
  moby's docs/api/v1.NN.yaml under engine/docs/api/ (about 4 MB for every API version at once).
- A release's own api/swagger.yaml: the binary package golang-github-docker-docker-dev of the
  suite that ships that release.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import re
import tarfile

import requests

MIRROR = os.environ.get("CONFORMANCE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SOURCE_PACKAGE = "docker.io"
SOURCE_SUITES = ("sid", "forky")  # where docker.io 28.5.2 is; Debian keeps a version's tarball while a suite lists it
PACKAGE = "golang-github-docker-docker-dev"
SWAGGER = "usr/share/gocode/src/github.com/docker/docker/api/swagger.yaml"
# engine release -> the Debian suite whose docker.io it is
RELEASE_SUITES = {"20.10.24": "bookworm", "26.1.5": "trixie", "28.5.2": "sid"}
TIMEOUT = 60
SPEC_MEMBER = re.compile(r"/engine/docs/api/(v1\.\d+\.yaml)$")


class NotInDebian(LookupError):
    pass


def spec_set(release: str) -> tuple[str, dict[str, bytes]]:
    """(where from, {v1.NN.yaml: bytes}): the docs/api specs in the orig tarball of docker.io RELEASE."""
    tried = []
    for suite in SOURCE_SUITES:
        sources = lzma.decompress(_get(f"{MIRROR}/dists/{suite}/main/source/Sources.xz")).decode()
        for directory, name, digest in reversed(orig_tarballs(sources, SOURCE_PACKAGE, release)):
            if name in tried:
                continue
            tried.append(name)
            try:  # an index may still list a tarball that the pool no longer keeps (Extra-Source-Only)
                tarball = _get(f"{MIRROR}/{directory}/{name}")
            except requests.HTTPError:
                continue
            if hashlib.sha256(tarball).hexdigest() != digest:
                raise NotInDebian(f"{name} does not match the sha256 of Debian's {suite} index")
            return f"Debian source package {SOURCE_PACKAGE} ({name})", docs_api(tarball)
    raise NotInDebian(
        f"no suite of {', '.join(SOURCE_SUITES)} has a tarball of {SOURCE_PACKAGE} {release} "
        f"(tried: {', '.join(tried) or 'none listed'})"
    )


def orig_tarballs(sources: str, package: str, release: str) -> list[tuple[str, str, str]]:
    """[(directory, file name, sha256)] of the orig tarballs of PACKAGE RELEASE+dfsgN in a Sources index."""
    found = []
    for stanza in sources.split("\n\n"):
        if not stanza.lstrip().startswith(f"Package: {package}\n"):
            continue
        fields = _fields(stanza)
        if not fields.get("Version", "").startswith(f"{release}+"):
            continue
        for line in fields.get("Checksums-Sha256", "").splitlines():
            digest, _, name = line.split()
            if name.endswith(".orig.tar.xz") and (fields["Directory"], name, digest) not in found:
                found.append((fields["Directory"], name, digest))
    return found


def docs_api(tarball: bytes) -> dict[str, bytes]:
    """{v1.NN.yaml: bytes} of the engine/docs/api folder of a docker.io orig tarball."""
    found = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:*") as tar:
        for member in tar:
            match = SPEC_MEMBER.search(member.name)
            if match and member.isfile():
                found[match.group(1)] = tar.extractfile(member).read()
    if not found:
        raise NotInDebian("the tarball holds no engine/docs/api/v1.NN.yaml")
    return found


def release_swagger(release: str) -> tuple[str, bytes]:
    """(where from, api/swagger.yaml) of an engine release, from the suite that ships it."""
    suite = RELEASE_SUITES.get(release)
    if suite is None:
        raise NotInDebian(f"no Debian suite ships docker {release} (Debian has {', '.join(RELEASE_SUITES)})")
    index = lzma.decompress(_get(f"{MIRROR}/dists/{suite}/main/binary-all/Packages.xz")).decode()
    filename = _filename(index, PACKAGE)
    with tarfile.open(fileobj=io.BytesIO(_ar_member(_get(f"{MIRROR}/{filename}"), "data.tar")), mode="r:*") as data:
        for member in data:
            if member.name.lstrip("./") == SWAGGER:
                return f"Debian package {PACKAGE} ({filename.rsplit('/', 1)[-1]})", data.extractfile(member).read()
    raise NotInDebian(f"{filename} holds no {SWAGGER}")


def _get(url: str) -> bytes:
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    return response.content


def _fields(stanza: str) -> dict[str, str]:
    """The fields of a Debian control stanza; a multi-line field's lines joined by newlines."""
    fields: dict[str, str] = {}
    name = None
    for line in stanza.splitlines():
        if line.startswith((" ", "\t")) and name:
            fields[name] += "\n" + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return {k: v.strip() for k, v in fields.items()}


def _filename(packages: str, package: str) -> str:
    for stanza in packages.split("\n\n"):
        fields = _fields(stanza)
        if fields.get("Package") == package:
            return fields["Filename"]
    raise NotInDebian(f"{package} is not in the index")


def _ar_member(archive: bytes, prefix: str) -> bytes:
    """The first member of a .deb (an ar archive) whose name starts with prefix."""
    at = 8  # "!<arch>\n"
    while at + 60 <= len(archive):
        name, size = archive[at : at + 16].decode().strip(), int(archive[at + 48 : at + 58].decode().strip())
        if name.startswith(prefix):
            return archive[at + 60 : at + 60 + size]
        at += 60 + size + size % 2
    raise NotInDebian(f"the package has no {prefix} member")
