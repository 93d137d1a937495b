"""The four drift views, from small hand-made results."""

import json

from reports import drift, html, upgrade


def _shape(engine, operation, api, fields, status=200):
    return {"engine": engine, "operation": operation, "status": status, "api": api, "fields": fields}


def _null_plugins_test():
    mismatch = {
        "api": "1.51",
        "operation": "GET /info",
        "path": "/Plugins",
        "expected": "type 'array'",
        "actual": "None",
        "baseline": True,
    }
    return {"engine": "docker-28.5", "schema_mismatches": [mismatch]}


RESULTS = {
    "engines": {"docker-26.1": {"api_version": "1.45"}, "docker-28.5": {"api_version": "1.51"}},
    "versions": ["1.41", "1.45", "1.51"],
    "shapes": [
        _shape(
            "docker-26.1", "GET /images/json", "1.45", {"/*": "object", "/*/Id": "string", "/*/VirtualSize": "number"}
        ),
        _shape(
            "docker-26.1", "GET /images/json", "1.41", {"/*": "object", "/*/Id": "string", "/*/VirtualSize": "number"}
        ),
        _shape(
            "docker-28.5", "GET /images/json", "1.41", {"/*": "object", "/*/Id": "string", "/*/VirtualSize": "number"}
        ),
        _shape(
            "docker-28.5", "GET /images/json", "1.51", {"/*": "object", "/*/Id": "string", "/*/Manifests": "array|null"}
        ),
        _shape("docker-28.5", "GET /images/json", "1.51", {"/message": "string"}, status=404),
        _shape("docker-28.5", "GET /info", "1.51", {"/Name": "string"}),
    ],
    "tests": [
        *[_null_plugins_test()] * 2,  # the same mismatch met by two tests
        {"engine": "docker-26.1", "schema_mismatches": []},
    ],
}


def test_engine_drift_compares_each_engine_at_its_own_version():
    view = upgrade.engines_view(RESULTS, ["docker-26.1", "docker-28.5"])
    assert view == {
        "columns": [("docker-26.1", "1.45"), ("docker-28.5", "1.51")],
        "operations": [
            {
                "operation": "GET /images/json",
                "rows": [
                    {"status": 200, "field": "/*/Manifests", "cells": ["absent", "array|null"], "tests": [""]},
                    {"status": 200, "field": "/*/VirtualSize", "cells": ["number", "absent"], "tests": [""]},
                ],
            }
        ],
    }


def test_the_engines_view_keeps_the_docker_chain_apart_and_names_each_api_version():
    engines = ["docker-20.10", "docker-26.1", "docker-28.5", "podman-4.3", "podman-5.8"]
    assert upgrade.engine_groups(engines) == [
        ("the Docker upgrade chain", ["docker-20.10", "docker-26.1", "docker-28.5"]),
        ("Docker against the others", ["docker-28.5", "podman-4.3", "podman-5.8"]),
    ]
    between_engines = html.drift_views(RESULTS).split("<h3>2.")[0]
    assert "docker-26.1 @ API 1.45" in between_engines and between_engines.count("/*/VirtualSize") == 1


def test_api_drift_lists_fields_that_come_and_go_between_versions_of_one_engine():
    views = drift.api_drift(RESULTS)
    assert views == [
        {
            "engine": "docker-26.1",
            "operation": "GET /images/json",
            "test": "",
            "versions": ["1.41", "1.45"],
            "missing": [],
            "changes": [],
        },
        {
            "engine": "docker-28.5",
            "operation": "GET /images/json",
            "test": "",
            "versions": ["1.41", "1.51"],
            "missing": [],
            "changes": [("1.51", "added", "/*/Manifests", ""), ("1.51", "removed", "/*/VirtualSize", "")],
        },
    ]


def test_shapes_are_compared_only_between_answers_of_one_test():
    """An empty list in one test and a full one in another is no drift between versions or engines."""
    shapes = [
        {**_shape("docker-28.5", "GET /containers/json", "1.41", {"/*": "array"}), "test": "test_empty"},
        {
            **_shape("docker-28.5", "GET /containers/json", "1.51", {"/*": "array", "/*/Id": "string"}),
            "test": "test_full",
        },
        {**_shape("docker-26.1", "GET /containers/json", "1.45", {"/*": "array"}), "test": "test_empty"},
    ]
    results = {
        "engines": {"docker-26.1": {"api_version": "1.45"}, "docker-28.5": {"api_version": "1.51"}},
        "shapes": shapes,
    }
    assert drift.api_drift(results) == []
    assert upgrade.engines_view(results, ["docker-26.1", "docker-28.5"])["operations"] == []


def test_spec_drift_compares_success_schemas_and_names_missing_specs():
    def schema(properties):
        return {
            "paths": {
                "/images/json": {
                    "get": {
                        "responses": {
                            "200": {"schema": {"type": "array", "items": {"type": "object", "properties": properties}}}
                        }
                    }
                }
            }
        }

    specs = {
        "1.41": schema({"Id": {"type": "string"}, "VirtualSize": {"type": "integer"}}),
        "1.51": schema({"Id": {"type": "string"}, "Size": {"type": "integer"}}),
    }

    def load(version):
        if version not in specs:
            raise FileNotFoundError(f"v{version}.yaml")
        return specs[version]

    recorded = drift.spec_shapes(RESULTS, load)  # by the run, which has the specs
    view = drift.spec_drift(RESULTS | {"spec_shapes": json.loads(json.dumps(recorded))})  # from its results
    assert view["versions"] == ["1.41", "1.51"]
    assert view["missing"] == ["1.45: v1.45.yaml"]
    assert view["operations"] == [
        {
            "operation": "GET /images/json",
            "changes": [("1.51", "added", "/*/Size", ""), ("1.51", "removed", "/*/VirtualSize", "")],
        }
    ]
    half = {**recorded, "versions": ["1.41"], "shapes": {"1.41": recorded["shapes"]["1.41"]}}
    other = {
        "versions": ["1.45", "1.51"],
        "missing": [],
        "shapes": {v: recorded["shapes"]["1.51"] for v in ("1.45", "1.51")},
    }
    merged = drift.merge_spec_shapes([half, None, other])  # runs merged: a spec one of them lacked, another had
    assert merged["versions"] == ["1.41", "1.45", "1.51"] and merged["missing"] == []
    assert drift.spec_drift({"shapes": [], "versions": []})["missing"][0].startswith(
        "these results hold no spec shapes"
    )


def test_spec_conformance_counts_each_mismatch_once_with_its_tests():
    assert drift.spec_conformance(RESULTS) == [
        {
            "engine": "docker-28.5",
            "api": "1.51",
            "operation": "GET /info",
            "path": "/Plugins",
            "expected": "type 'array'",
            "actual": "None",
            "baseline": True,
            "tests": 2,
        }
    ]


def test_a_sweep_that_stopped_early_names_the_versions_it_did_not_reach():
    shapes = [_shape("docker-28.5", "GET /info", v, {"/Name": "string"}) for v in ("1.41", "1.42", "1.43")]
    results = {"engines": {"docker-28.5": {"api_version": "1.45"}}, "shapes": shapes}
    assert drift.api_drift(results)[0]["missing"] == ["1.44", "1.45"]
