"""Confirmed mistakes of the upstream spec, applied on load and listed in the report.

Each erratum names its evidence (an upstream issue or the engine source) and the API versions it
applies to. An erratum corrects the spec to what the engine's source documents as intended; it
must never hide an engine bug (those go to the engine's baseline in suites/baselines/).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Erratum:
    id: str
    versions: tuple[str, str]  # first and last API version it applies to, inclusive
    summary: str
    evidence: str
    fix: Callable[[dict], None]


def _version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


ERRATA: tuple[Erratum, ...] = ()


def applicable(version: str) -> list[Erratum]:
    key = _version_key(version)
    return [e for e in ERRATA if _version_key(e.versions[0]) <= key <= _version_key(e.versions[1])]


def apply_errata(spec: dict, version: str) -> dict:
    spec["x-errata"] = []
    for erratum in applicable(version):
        erratum.fix(spec)
        spec["x-errata"].append(erratum.id)
    return spec
