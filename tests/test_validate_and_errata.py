"""Response validation (Swagger 2.0's x-nullable) and the errata applied to upstream specs."""

import pytest

from openapi.errata import ERRATA, applicable, apply_errata
from openapi.validate import Mismatch, mismatches, response_schema

SPEC = {
    "paths": {
        "/things": {
            "get": {
                "responses": {
                    "200": {"schema": {"type": "array", "items": {"$ref": "#/definitions/Thing"}}},
                    "204": {"description": "no body"},
                }
            }
        }
    },
    "definitions": {
        "Thing": {
            "type": "object",
            "properties": {
                "Names": {"type": "array", "items": {"type": "string"}},
                "Labels": {"type": "object", "x-nullable": True},
                "Port": {"type": "integer", "x-nullable": False},
            },
        }
    },
}


def test_null_passes_only_where_the_spec_says_x_nullable():
    body = [{"Names": ["a"], "Labels": None, "Port": 1}]
    assert mismatches(SPEC, "GET", "/things", 200, body) == []


def test_null_where_the_spec_declares_a_type_is_a_mismatch_with_its_path():
    body = [{"Names": ["a"], "Labels": {}}, {"Names": None, "Port": None}]
    assert mismatches(SPEC, "GET", "/things", 200, body) == [
        Mismatch("/1/Names", "type 'array'", "None"),
        Mismatch("/1/Port", "type 'integer'", "None"),
    ]


def test_a_wrong_type_is_not_excused_by_x_nullable():
    assert [m.path for m in mismatches(SPEC, "GET", "/things", 200, [{"Labels": "text"}])] == ["/0/Labels"]


def test_a_status_without_a_body_schema_has_no_mismatches_and_unknown_ones_are_named():
    assert response_schema(SPEC, "get", "/things", 204) is None
    assert mismatches(SPEC, "GET", "/things", 204, {"anything": 1}) == []
    with pytest.raises(KeyError, match="documents no status 500 for GET /things"):
        response_schema(SPEC, "GET", "/things", 500)
    with pytest.raises(KeyError, match="no operation POST /things"):
        response_schema(SPEC, "POST", "/things", 200)


@pytest.mark.parametrize(
    "version, ids",
    [
        ("1.24", []),
        ("1.25", ["plugin-interface-type-is-a-string", "swarm-create-answers-ID"]),
        ("1.51", ["plugin-interface-type-is-a-string", "swarm-create-answers-ID"]),
        ("1.52", ["swarm-create-answers-ID"]),
        ("1.55", ["swarm-create-answers-ID"]),
        ("1.56", []),
    ],
)
def test_errata_apply_to_their_version_range_inclusive(version, ids):
    assert [e.id for e in applicable(version)] == ids


def _spec_with_swarm_create():
    created = {"201": {"schema": {"$ref": "#/definitions/IdResponse"}}}
    return {
        "paths": {
            "/secrets/create": {"post": {"responses": dict(created)}},
            "/configs/create": {"post": {"responses": dict(created)}},
        },
        "definitions": {
            "PluginInterfaceType": {"type": "object", "properties": {"Prefix": {"type": "string"}}},
            "IdResponse": {"type": "object", "required": ["Id"]},
        },
    }


def test_errata_fixes_make_the_engines_documented_answers_valid():
    spec = apply_errata(_spec_with_swarm_create(), "1.51")
    assert spec["x-errata"] == [e.id for e in ERRATA]
    assert spec["definitions"]["PluginInterfaceType"]["type"] == "string"
    for path in ("/secrets/create", "/configs/create"):
        assert mismatches(spec, "POST", path, 201, {"ID": "abc"}) == []
        assert [m.expected for m in mismatches(spec, "POST", path, 201, {"Id": "abc"})] == ["required ['ID']"]


def test_errata_leave_a_spec_of_another_version_alone():
    spec = apply_errata(_spec_with_swarm_create(), "1.24")
    assert spec["x-errata"] == [] and spec == {**_spec_with_swarm_create(), "x-errata": []}
