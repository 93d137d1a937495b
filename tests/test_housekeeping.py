"""What the code says about itself holds: help texts, referenced files, merged results, what git tracks."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fixtures.engines.catalog import ENGINES
from reports import results

ROOT = Path(__file__).resolve().parent.parent


def test_files_named_in_the_harness_code_exist_in_the_project():
    named = {
        (path.relative_to(ROOT), name)
        for folder in ("fixtures", "openapi", "reports", "suites")
        for path in (ROOT / folder).glob("*.py")
        for name in re.findall(r"\b[\w./-]+\.md\b", path.read_text())
    }
    assert [(str(path), name) for path, name in sorted(named) if not (ROOT / name).exists()] == []


def test_engine_help_lists_every_engine_of_the_catalog(pytester):
    result = pytester.runpytest("-p", "fixtures.options", "-p", "no:cacheprovider", "--help")
    help_text = " ".join(result.stdout.str().split())  # argparse wraps its lines
    assert [name for name in ENGINES if name not in help_text] == []


def test_merge_keeps_the_source_of_every_spec():
    def part(specs):
        return {
            "format": 1,
            "run": {},
            "engines": {},
            "tests": [],
            "shapes": [],
            "errata": [],
            "versions": list(specs),
            "specs": specs,
        }

    merged = results.merge([part({"1.41": "moby api/docs v1.41.yaml"}), part({"1.51": "debian swagger.yaml 28.5.2"})])
    assert merged["specs"] == {"1.41": "moby api/docs v1.41.yaml", "1.51": "debian swagger.yaml 28.5.2"}


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_the_benchmark_output_is_not_tracked_as_source():
    tracked = subprocess.run(
        ["git", "ls-files", "reports/output/bench.json"], cwd=ROOT, capture_output=True, text=True, timeout=30
    ).stdout
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "reports/output/bench.json"], cwd=ROOT, timeout=30
    ).returncode
    assert tracked == "" and ignored == 0


def test_installing_the_project_brings_its_dependencies_and_no_top_level_packages():
    """PyPI has packages named fixtures, openapi and reports: installed ones of ours would clash with them."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["packages"] == []
    assert project["tool"]["pytest"]["ini_options"]["pythonpath"] == ["."]
