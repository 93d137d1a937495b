"""Dependencies point one way, read from every module's imports (module level and inside functions).

The harness's layers, each importing only its own and those before it:
    fixtures.options, fixtures.run  <-  fixtures.engines  <-  fixtures.client  <-  fixtures.scenario  <-  fixtures.fuzz
                                                                                                   <-  fixtures.clients
- the leaves import nothing of the harness, and any layer may import them: reports.contract (the contract
  with the reports), fixtures.wait (polling), fixtures.engines.catalog (the engines as data), and the wire,
  fixtures.client.http and fixtures.client.transcript (plain HTTP: the engine layer reaches its engines
  through it, the client layer's fixtures hand it to the tests);
- judging, fixtures.baselines, stands beside the layers: it may import the options and the leaves; the
  layers that judge (scenario, fuzz) and the suites may import it, those that make and reach engines may not;
- reports import nothing of the harness but its contract; openapi imports nothing of fixtures or reports;
- no import of the project's own modules inside a function (a cycle dodged that way is still a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("fixtures", "reports", "openapi", "perf", "suites")
LAYERS = (
    ("fixtures.options", "fixtures.run"),
    ("fixtures.engines",),
    ("fixtures.client",),
    ("fixtures.scenario",),
    ("fixtures.fuzz",),
    ("fixtures.clients",),  # the real clients: they judge nothing, they run beside the scenarios' engines
)
LEAVES = (
    "reports.contract",
    "fixtures.wait",
    "fixtures.engines.catalog",
    "fixtures.client.http",
    "fixtures.client.transcript",
)
JUDGING = "fixtures.baselines"
JUDGES = ("fixtures.scenario", "fixtures.fuzz")  # the layers that may import JUDGING


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer(module: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) for p in layer if _within(module, p)), None)


def _first_party(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def imports_of(source: str, module: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) of each import of the project's own modules."""
    found = []
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(node) for function in functions for node in ast.walk(function) if node is not function}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from fixtures.engines import host`: the module fixtures.engines.host, else the package
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if _first_party(name):
                found.append((name, node.lineno, id(node) in nested))
    return found


def violation(importer: str, imported: str) -> str | None:
    """Why IMPORTER may not import IMPORTED, or None."""
    if any(_within(importer, leaf) for leaf in LEAVES):
        allowed = any(_within(imported, leaf) for leaf in LEAVES)
        return None if allowed else "a leaf imports nothing of the harness but other leaves"
    if _within(importer, "openapi"):
        return None if _within(imported, "openapi") else "openapi imports nothing of fixtures or reports"
    if _within(importer, "reports"):
        if _within(imported, "reports") or _within(imported, "openapi"):
            return None
        return "reports import nothing of the harness but reports.contract"
    if not _within(importer, "fixtures"):
        return None  # suites and perf stand on top
    if any(_within(imported, leaf) for leaf in LEAVES) or _within(imported, "openapi"):
        return None
    if _within(imported, "reports") or _within(imported, "suites") or _within(imported, "perf"):
        return "the harness imports of the reports their contract only, and nothing of suites or perf"
    if _within(imported, JUDGING):
        if _within(importer, JUDGING) or any(_within(importer, judge) for judge in JUDGES):
            return None
        return f"judging ({JUDGING}) is imported by the judging layers only: {', '.join(JUDGES)}"
    if _within(importer, JUDGING):
        return None if _layer(imported) == 0 else "judging imports the options and the leaves only"
    mine, theirs = _layer(importer), _layer(imported)
    if mine is None or theirs is None:
        return f"{importer if mine is None else imported} is in no layer: add it to LAYERS, LEAVES or JUDGING"
    return None if theirs <= mine else f"layer {mine} imports layer {theirs} above it"


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield module, path


def test_dependencies_point_one_way():
    problems = []
    for module, path in _modules():
        for imported, line, inside in imports_of(path.read_text(), module):
            why = "an import inside a function" if inside else violation(module, imported)
            if why:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {imported}: {why}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("fixtures.client.plugin", "fixtures.engines.containers", True),
        ("fixtures.engines.containers", "fixtures.scenario.objects", False),
        ("fixtures.engines.containers", "fixtures.client.http", True),  # the wire
        ("fixtures.options", "fixtures.client.plugin", False),
        ("fixtures.options", "fixtures.baselines", False),
        ("fixtures.baselines", "fixtures.options", True),
        ("fixtures.engines.plugin", "fixtures.baselines", False),
        ("fixtures.scenario.plugin", "fixtures.baselines", True),
        ("fixtures.baselines", "fixtures.engines.containers", False),
        ("fixtures.client.http", "fixtures.options", False),
        ("fixtures.fuzz.plugin", "reports.contract", True),
        ("fixtures.scenario.plugin", "reports.results", False),
        ("reports.drift", "fixtures.engines.catalog", False),
        ("reports.verdict", "reports.contract", True),
        ("openapi.specs", "reports.contract", False),
        ("fixtures.newthing", "fixtures.options", False),
        ("fixtures.clients.plugin", "fixtures.scenario.plugin", True),
        ("fixtures.scenario.plugin", "fixtures.clients.plugin", False),
    ],
)
def test_the_rule_itself(importer, imported, allowed):
    assert (violation(importer, imported) is None) is allowed


def test_imports_inside_functions_are_found():
    source = "import os\nfrom fixtures import wait\n\ndef f():\n    from fixtures.options import SETTINGS\n"
    assert imports_of(source, "fixtures.x") == [("fixtures.wait", 2, False), ("fixtures.options.SETTINGS", 5, True)]
