"""Confirmed mistakes of the upstream spec, applied on load and listed in the report.

Each erratum names its evidence (an upstream issue or the engine source) and the API versions it
applies to. An erratum corrects the spec to what the engine's source documents as intended; it
must never hide an engine bug (those go to the engine's baseline in suites/baselines/).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import Version


@dataclass(frozen=True)
class Erratum:
    id: str
    versions: tuple[str, str]  # first and last API version it applies to, inclusive
    summary: str
    evidence: str
    fix: Callable[[dict], None]
    # What the fix settles: the operations ("METHOD /path" globs) and the fuzz checks whose findings on them it
    # removes. A fuzz baseline entry of class `spec` there would baseline a mistake the erratum already corrects.
    operations: tuple[str, ...] = ()
    checks: tuple[str, ...] = ("Response violates schema",)


def _plugin_interface_types_are_strings(spec: dict) -> None:
    spec["definitions"]["PluginInterfaceType"] = {"type": "string", "example": "docker.volumedriver/1.0"}


def _swarm_create_answers_ID(spec: dict) -> None:
    answer = {"type": "object", "required": ["ID"], "properties": {"ID": {"type": "string", "x-nullable": False}}}
    for path in ("/secrets/create", "/configs/create"):
        if path in spec["paths"]:
            spec["paths"][path]["post"]["responses"]["201"]["schema"] = answer


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        id="plugin-interface-type-is-a-string",
        versions=("1.25", "1.51"),
        summary="Plugin Config.Interface.Types items are strings like 'docker.authz/1.0', not objects",
        evidence="moby api/types/plugin_interface_type.go (PluginInterfaceType.MarshalJSON writes a string, "
        "since the type exists); the spec's own example is a string; api/docs/v1.52.yaml declares strings",
        fix=_plugin_interface_types_are_strings,
        operations=("GET /plugins", "GET /plugins/{name}/json", "DELETE /plugins/{name}"),  # those answering Plugin
    ),
    Erratum(
        id="swarm-create-answers-ID",
        versions=("1.25", "1.55"),
        summary='POST /secrets/create and /configs/create answer {"ID": ...}, not the {"Id": ...} of IdResponse',
        evidence="moby api/types/swarm: SecretCreateResponse and ConfigCreateResponse have a field ID with no JSON "
        "tag, written as is by the swarm router since API 1.25; docker-py's Secret and Config models read 'ID'",
        fix=_swarm_create_answers_ID,
        operations=("POST /secrets/create", "POST /configs/create"),
    ),
)


def covering(version: str, operation: str, check: str) -> list[Erratum]:
    """The errata of an API version that settle a check on an operation; the operation may be a glob (a baseline
    entry's), which overlaps an erratum's operation when either matches the other."""
    return [
        e
        for e in applicable(version)
        if check in e.checks
        and any(fnmatch.fnmatchcase(operation, glob) or fnmatch.fnmatchcase(glob, operation) for glob in e.operations)
    ]


def applicable(version: str) -> list[Erratum]:
    return [e for e in ERRATA if Version(e.versions[0]) <= Version(version) <= Version(e.versions[1])]


def apply_errata(spec: dict, version: str) -> dict:
    spec["x-errata"] = []
    for erratum in applicable(version):
        erratum.fix(spec)
        spec["x-errata"].append(erratum.id)
    return spec
