"""Spec acquisition: the Debian package source's parsing of an index and of a .deb."""
import pytest

from openapi import debian


def _ar(members: dict[str, bytes]) -> bytes:
    out = b"!<arch>\n"
    for name, data in members.items():
        out += f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode() + data + (b"\n" if len(data) % 2 else b"")
    return out


def test_a_deb_member_is_found_past_odd_sized_ones():
    deb = _ar({"debian-binary": b"2.0\n", "control.tar.xz": b"odd", "data.tar.xz": b"the data"})
    assert debian._ar_member(deb, "data.tar") == b"the data"
    with pytest.raises(debian.NotInDebian):
        debian._ar_member(deb, "nothing")


def test_the_package_is_found_in_the_index():
    index = ("Package: other\nFilename: pool/o.deb\n\n"
             "Package: golang-github-docker-docker-dev\nVersion: 28.5.2\nDescription: x\n more\nFilename: pool/d.deb\n")
    assert debian._filename(index, debian.PACKAGE) == "pool/d.deb"


def test_only_debian_shipped_api_versions_have_a_release():
    assert debian.release_of("1.51") == "28.5.2" and debian.release_of("1.44") is None
