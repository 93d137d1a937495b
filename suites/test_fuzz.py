"""Spec fuzzing: schemathesis over every operation of the engine's spec, on an engine of its own, over unix and tcp.

One test per engine, operation and transport. A test fails on findings that the engine's
baseline (suites/baselines/ENGINE.yaml, `fuzz` entries) does not list; each finding carries a
curl command. The reach of each engine and transport (a share of the operations reached a 2xx answer)
is judged at the end of the run from every test's `fuzz` summary, as test_reach[ENGINE-TRANSPORT] in
results.json (reports/results.py reach): it holds under xdist and for any selection of operations.
"""

from __future__ import annotations

import functools

import pytest

from fixtures.baselines import known_fuzz_finding
from fixtures.client.plugin import TRANSCRIPT
from fixtures.engines.catalog import ENGINES, NOT_IMPLEMENTED, unsupported_area
from fixtures.engines.plugin import announce
from fixtures.fuzz.cases import UNREACHABLE, lacks
from fixtures.fuzz.runner import EXCLUDED, fuzz_operation, fuzz_stateful, load_schema, operation_labels
from fixtures.fuzz.world import FuzzWorld
from fixtures.options import SETTINGS
from fixtures.scenario.plugin import refuses, skip_unsupported
from fixtures.scenario.swarm import WORKER_ROLE, TwoNodeSwarm, address_on_run_network
from openapi.specs import SpecUnavailable, load_spec

pytestmark = pytest.mark.fuzz
FUZZ_TRANSPORTS = ("unix", "tcp")


SPEC_NOT_LOADED = (
    "(spec not loaded)"  # the one operation of an engine whose spec is not loaded: deselected, or it fails alone
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    settings = metafunc.config.stash[SETTINGS]
    transports = [t for t in settings.transports if t in FUZZ_TRANSPORTS]
    engines = [e for e in settings.engines if e in ENGINES]  # a disposable engine of its own: catalog engines only
    if "operation" in metafunc.fixturenames:
        pairs = []
        for engine in engines:
            if _deselected(metafunc.config):  # `-m "not fuzz"`: collect without loading any spec
                pairs.append((engine, SPEC_NOT_LOADED))
                continue
            try:
                spec = load_spec(ENGINES[engine].api_version, settings.spec_dir)
            except SpecUnavailable:
                pairs.append((engine, SPEC_NOT_LOADED))  # fuzz_spec fails it with the reason
                continue
            pairs += [(engine, label) for label in operation_labels(spec) if label not in EXCLUDED]
        metafunc.parametrize(("engine_name", "operation"), pairs, ids=[f"{e}-{o}" for e, o in pairs])
    elif "engine_name" in metafunc.fixturenames:
        metafunc.parametrize("engine_name", engines)
    metafunc.parametrize("transport", transports)


def _deselected(config: pytest.Config) -> bool:
    """Whether -m leaves the fuzz suite out (pytest's own evaluator of -m; unknown: not deselected)."""
    expression = config.getoption("markexpr")
    if not expression:
        return False
    try:
        from _pytest.mark.expression import Expression

        return not Expression.compile(expression).evaluate(lambda name, **kwargs: name == "fuzz")
    except Exception:  # a private API: should it change, load the spec as before
        return False


@pytest.fixture
def fuzz_spec(engine_name, pytestconfig) -> dict:
    """The spec of the engine's API version: one that cannot be had fails the tests that need it, with one line."""
    try:
        return load_spec(ENGINES[engine_name].api_version, pytestconfig.stash[SETTINGS].spec_dir)
    except SpecUnavailable as error:
        pytest.fail(f"harness: {error}", pytrace=False)


@pytest.fixture
def fuzz_engine(engine_pool, engine_name, request):
    """An engine apart from the scenarios': fuzzing is destructive."""
    engine = engine_pool.get(engine_name, role="fuzz")
    announce(request, engine)
    return engine


@pytest.fixture
def fuzz_api(fuzz_engine, transport, pytestconfig, request):
    """No /vX.Y prefix: the spec's basePath carries it. Every response goes to the transcript, the cases' too."""
    request.node.user_properties.append(("api_version", fuzz_engine.api_version))
    record = pytestconfig.stash[TRANSCRIPT].recorder_for(f"{fuzz_engine.name}-fuzz {transport}")
    with fuzz_engine.client(transport) as client:
        client.session.hooks["response"].append(
            lambda response, **_: record(response, response.elapsed.total_seconds(), client.curl(response.request))
        )
        yield client


_WORLDS: dict[str, FuzzWorld] = {}
_REFUSED: dict[tuple[str, str], int] = {}  # (engine, area) -> the status its probe answered


@pytest.fixture
def implemented(fuzz_engine, fuzz_api, operation):
    """An operation of an area the engine does not implement (catalog `unsupported`, by path) is Unsupported,
    once the engine is seen to refuse the area, as in the scenario suites; it counts neither as a finding nor
    in the reach."""
    area = unsupported_area(fuzz_engine.spec, operation)
    if area is not None:
        skip_unsupported(fuzz_engine, area, _probe(fuzz_engine, fuzz_api, area))


def _probe(fuzz_engine, fuzz_api, area: str) -> int:
    """The status the engine answers to AREA's refusal probe: probed once per engine and area (a fuzz run has
    many operations per area)."""
    key = (fuzz_engine.name, area)
    if key not in _REFUSED:
        method, path, _ = NOT_IMPLEMENTED[area]
        _REFUSED[key] = fuzz_api.at_version(fuzz_engine.api_version).request(method, path).status_code
    return _REFUSED[key]


@functools.cache
def _schema(version: str, spec_dir):
    """The schemathesis schema of an API version, loaded once per run."""
    return load_schema(load_spec(version, spec_dir))


def _fuzz_cluster(engine, engine_pool) -> TwoNodeSwarm:
    """The fuzz engine as the manager of a two-node swarm, a second instance of it the worker (made on first use)."""
    worker = engine_pool.get(engine.name, role=f"fuzz-{WORKER_ROLE}")
    return TwoNodeSwarm(engine, worker, address_on_run_network(engine), address_on_run_network(worker))


@pytest.fixture
def world(fuzz_engine, fuzz_api, engine_pool):
    """Real objects for the cases to name, remade when an earlier case removed them."""
    key = fuzz_engine.name  # one world per engine: both transports name the same objects
    if key not in _WORLDS:
        _WORLDS[key] = FuzzWorld(
            fuzz_api,
            fuzz_engine.mirrored,
            engine_pool.workload_tar,
            engine_pool.plugin_tar,
            unsupported=fuzz_engine.spec.unsupported,
            registry=fuzz_engine.registry.removeprefix("http://") if fuzz_engine.registry else None,
            credentials=fuzz_engine.auth_registry,
            cluster=functools.partial(_fuzz_cluster, fuzz_engine, engine_pool) if fuzz_engine.container else None,
        )
    _WORLDS[key].api = fuzz_api
    try:
        _WORLDS[key].ensure()
    except RuntimeError as error:  # WorldError, or the workload image that could not be pulled
        pytest.fail(f"harness: the fuzz world of {key}: {error}", pytrace=False)
    return _WORLDS[key]


def test_operation(
    fuzz_spec, fuzz_engine, fuzz_api, implemented, world, engine_name, operation, transport, pytestconfig, request
):
    settings = pytestconfig.stash[SETTINGS]
    assert fuzz_engine.api_version == ENGINES[engine_name].api_version, (
        f"harness: {engine_name} reports API {fuzz_engine.api_version}, the catalog {ENGINES[engine_name].api_version}"
    )
    outcome = fuzz_operation(
        _schema(fuzz_engine.api_version, settings.spec_dir),
        operation,
        fuzz_api,
        world,
        settings.fuzz_examples,
        settings.fuzz_seconds,
    )
    # before any assertion: the reach counts it, and judges only runs that fuzzed every operation of the spec
    request.node.user_properties.append(
        (
            "fuzz",
            {
                **outcome.summary(),
                "spec_operations": len(operation_labels(fuzz_spec)),
                "lacks": lacks(operation, world),  # what the reach report says when no case reached 2xx
                "unreachable": UNREACHABLE.get(operation),
            },
        )
    )
    assert outcome.cases > 0, f"harness: no case of {operation} could be sent"
    _judge(outcome, engine_name, request)


def test_stateful(fuzz_spec, fuzz_engine, fuzz_api, world, engine_name, transport, pytestconfig, request):
    """Sequences of calls where later calls name what earlier answers created (links inferred from the spec)."""
    settings = pytestconfig.stash[SETTINGS]
    outcome = fuzz_stateful(
        _schema(fuzz_engine.api_version, settings.spec_dir),
        fuzz_api,
        settings.fuzz_examples * 2,
        settings.fuzz_seconds * 5,
    )
    # its sequences may call operations of areas the engine does not implement: once the engine is seen to refuse
    # the area, those are Unsupported, no findings (an area it no longer refuses keeps its findings)
    refused = {
        area
        for area in {unsupported_area(fuzz_engine.spec, f.operation) for f in outcome.findings.values()} - {None}
        if refuses(area, _probe(fuzz_engine, fuzz_api, area))
    }
    outcome.findings = {
        key: finding
        for key, finding in outcome.findings.items()
        if unsupported_area(fuzz_engine.spec, finding.operation) not in refused
    }
    request.node.user_properties.append(("fuzz", outcome.summary()))
    assert outcome.cases > 0, f"harness: no stateful step could be sent ({outcome.notes})"
    # Its sequences follow the ids and orders the engine answers with, so they differ from run to run:
    # its findings are reported (with curl commands) but only the single-operation phases gate a run.
    _judge(outcome, engine_name, request, gate=False)


def _judge(outcome, engine_name: str, request: pytest.FixtureRequest, gate: bool = True) -> None:
    """Report every finding; fail on those the engine's baseline lacks (when the phase gates)."""
    new = []
    for finding in outcome.findings.values():
        known = known_fuzz_finding(engine_name, finding.operation, finding.check, request.node)
        request.node.user_properties.append(
            (
                "fuzz_finding",
                {
                    "operation": finding.operation,
                    "check": finding.check,
                    "status": finding.status,
                    "count": finding.count,
                    "message": finding.message,
                    "curl": finding.curl,
                    "baseline": bool(known),
                    "class": known["class"] if known else "engine",
                },
            )
        )
        if not known:
            new.append(finding)
    assert not (new and gate), f"{outcome.operation}: findings not in the {engine_name} baseline:\n" + "\n".join(
        f"  {f.operation} {f.check} (x{f.count}, status {f.status}): {f.message.splitlines()[0] if f.message else ''}"
        f"\n    {f.curl}"
        for f in new
    )
