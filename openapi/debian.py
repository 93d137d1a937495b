"""The spec as an engine release ships it, from Debian's golang-github-docker-docker-dev package.

The package carries moby's api/swagger.yaml of the docker.io version of its suite; Debian's
mirror is reachable where GitHub is not.
"""
from __future__ import annotations

import io
import lzma
import os
import tarfile

import requests

MIRROR = os.environ.get("CONFORMANCE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
PACKAGE = "golang-github-docker-docker-dev"
SWAGGER = "usr/share/gocode/src/github.com/docker/docker/api/swagger.yaml"
# API version -> (Debian suite, the docker.io release it ships)
RELEASES = {"1.41": ("bookworm", "20.10.24"), "1.45": ("trixie", "26.1.5"), "1.51": ("sid", "28.5.2")}
TIMEOUT = 60


class NotInDebian(LookupError):
    pass


def release_of(api_version: str) -> str | None:
    return RELEASES.get(api_version, (None, None))[1]


def swagger(api_version: str) -> bytes:
    """api/swagger.yaml from the package of the suite that ships the engine release of that API version."""
    if api_version not in RELEASES:
        raise NotInDebian(f"no Debian suite ships an engine of API {api_version}")
    suite, _ = RELEASES[api_version]
    index = requests.get(f"{MIRROR}/dists/{suite}/main/binary-all/Packages.xz", timeout=TIMEOUT)
    index.raise_for_status()
    filename = _filename(lzma.decompress(index.content).decode(), PACKAGE)
    deb = requests.get(f"{MIRROR}/{filename}", timeout=TIMEOUT)
    deb.raise_for_status()
    with tarfile.open(fileobj=io.BytesIO(_ar_member(deb.content, "data.tar")), mode="r:*") as data:
        for member in data:
            if member.name.lstrip("./") == SWAGGER:
                return data.extractfile(member).read()
    raise NotInDebian(f"{filename} holds no {SWAGGER}")


def _filename(packages: str, package: str) -> str:
    for stanza in packages.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line.startswith(" "))
        if fields.get("Package") == package:
            return fields["Filename"]
    raise NotInDebian(f"{package} is not in the index")


def _ar_member(archive: bytes, prefix: str) -> bytes:
    """The first member of a .deb (an ar archive) whose name starts with prefix."""
    at = 8  # "!<arch>\n"
    while at + 60 <= len(archive):
        name, size = archive[at:at + 16].decode().strip(), int(archive[at + 48:at + 58].decode().strip())
        if name.startswith(prefix):
            return archive[at + 60:at + 60 + size]
        at += 60 + size + size % 2
    raise NotInDebian(f"the package has no {prefix} member")
