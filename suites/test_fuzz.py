"""Spec fuzzing: schemathesis over every operation of the engine's spec, on an engine of its own, over unix and tcp.

One test per engine, operation and transport. A test fails on findings that the engine's
baseline (suites/baselines/ENGINE.yaml, `fuzz` entries) does not list; each finding carries a
curl command. The reach of each engine and transport (a share of the operations reached a 2xx answer)
is judged at the end of the run from every test's `fuzz` summary, as test_reach[ENGINE-TRANSPORT] in
results.json (reports/results.py reach): it holds under xdist and for any selection of operations.
The parameters, fixtures and judging: fixtures/fuzz/plugin.py.
"""

from __future__ import annotations

import pytest

from fixtures.engines.catalog import ENGINES
from fixtures.fuzz.cases import UNREACHABLE, lacks
from fixtures.fuzz.plugin import judge, schema, without_refused_areas
from fixtures.fuzz.runner import fuzz_operation, fuzz_stateful, operation_labels
from fixtures.options import SETTINGS
from reports.contract import FUZZ, harness

pytestmark = pytest.mark.fuzz


def test_operation(
    fuzz_spec, fuzz_engine, fuzz_api, implemented, world, engine_name, operation, transport, pytestconfig, request
):
    settings = pytestconfig.stash[SETTINGS]
    assert fuzz_engine.api_version == ENGINES[engine_name].api_version, harness(
        f"{engine_name} reports API {fuzz_engine.api_version}, the catalog {ENGINES[engine_name].api_version}"
    )
    outcome = fuzz_operation(
        schema(fuzz_engine.api_version, settings.spec_dir),
        operation,
        fuzz_api,
        world,
        settings.fuzz_examples,
        settings.fuzz_seconds,
    )
    # before any assertion: the reach counts it, and judges only runs that fuzzed every operation of the spec
    request.node.user_properties.append(
        (
            FUZZ,
            {
                **outcome.summary(),
                "spec_operations": len(operation_labels(fuzz_spec)),
                "lacks": lacks(operation, world),  # what the reach report says when no case reached 2xx
                "unreachable": UNREACHABLE.get(operation),
            },
        )
    )
    assert outcome.cases > 0, harness(f"no case of {operation} could be sent")
    judge(outcome, engine_name, request)


def test_stateful(fuzz_spec, fuzz_engine, fuzz_api, world, engine_name, transport, pytestconfig, request):
    """Sequences of calls where later calls name what earlier answers created (links inferred from the spec)."""
    settings = pytestconfig.stash[SETTINGS]
    outcome = fuzz_stateful(
        schema(fuzz_engine.api_version, settings.spec_dir),
        fuzz_api,
        settings.fuzz_examples * 2,
        settings.fuzz_seconds * 5,
    )
    without_refused_areas(outcome, fuzz_engine, fuzz_api, pytestconfig)
    request.node.user_properties.append((FUZZ, outcome.summary()))
    assert outcome.cases > 0, harness(f"no stateful step could be sent ({outcome.notes})")
    # Its sequences follow the ids and orders the engine answers with, so they differ from run to run:
    # its findings are reported (with curl commands) but only the single-operation phases gate a run.
    judge(outcome, engine_name, request, gate=False)
