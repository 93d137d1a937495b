"""Response bodies against the response schema of their operation, mismatches as (path, expected, actual)."""

from __future__ import annotations

from dataclasses import dataclass

from jsonschema import Draft4Validator, validators


@dataclass(frozen=True)
class Mismatch:
    path: str  # JSON pointer into the body
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: expected {self.expected}, got {self.actual}"


def _nullable_type(validator, types, instance, schema):
    if instance is None and schema.get("x-nullable"):
        return  # Swagger 2.0 spells "may be null" as x-nullable
    yield from Draft4Validator.VALIDATORS["type"](validator, types, instance, schema)


SwaggerValidator = validators.extend(Draft4Validator, {"type": _nullable_type})


def response_schema(spec: dict, method: str, template: str, status: int) -> dict | None:
    """The documented schema of an answer; None when the spec gives the status no body schema."""
    operation = spec["paths"].get(template, {}).get(method.lower())
    if operation is None:
        raise KeyError(f"the spec has no operation {method.upper()} {template}")
    answer = operation["responses"].get(str(status)) or operation["responses"].get("default")
    if answer is None:
        raise KeyError(f"the spec documents no status {status} for {method.upper()} {template}")
    return answer.get("schema")


def mismatches(spec: dict, method: str, template: str, status: int, body) -> list[Mismatch]:
    schema = response_schema(spec, method, template, status)
    if schema is None:
        return []
    validator = SwaggerValidator({**schema, "definitions": spec.get("definitions", {})})
    found = []
    for error in validator.iter_errors(body):
        pointer = "".join(f"/{part}" for part in error.absolute_path)
        expected = f"{error.validator} {error.validator_value!r}"
        found.append(Mismatch(pointer, expected[:120], repr(error.instance)[:120]))
    return sorted(found, key=lambda m: m.path)
