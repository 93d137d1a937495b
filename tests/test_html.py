"""The HTML report: every value from a results file is escaped, and every section is there."""

from reports import html
from tests.test_reports import _results, _test

SCRIPT = "<script>alert(1)</script>"


def _hostile_results() -> dict:
    """A results file whose engine-reported and test-made strings all carry markup."""
    failed = {
        **_test("docker-28.5", f"test_{SCRIPT}", "Fail"),
        "message": f"500 {SCRIPT}",
        "curl": f"curl '{SCRIPT}'",
        "schema_mismatches": [
            {
                "api": "1.51",
                "operation": "GET /info",
                "path": f"/{SCRIPT}",
                "expected": "string",
                "actual": SCRIPT,
                "baseline": False,
            }
        ],
    }
    data = _results("docker-28.5", [failed])
    data["engines"]["docker-28.5"].update(image=SCRIPT, image_digest=SCRIPT, kernel=SCRIPT, os=SCRIPT)
    return data


def test_markup_in_results_is_escaped_in_the_report_sections():
    sections = html.report_sections(_hostile_results())
    assert "<script>" not in sections
    assert "&lt;script&gt;" in sections


def test_markup_in_the_title_and_missing_runs_is_escaped_in_the_page():
    data = _hostile_results()
    data["run"]["missing"] = [f"/tmp/{SCRIPT}.json"]
    assert "<script>" not in html.page(data, None, f"report {SCRIPT}")


def test_page_renders_every_section_heading():
    fuzzed = {
        **_test("docker-28.5", "test_operation", "Pass", area="fuzz"),
        "fuzz_findings": [],
        "fuzz": {"operation": "GET /_ping", "cases": 4, "reached_2xx": True, "spec_operations": 1},
    }
    data = _results("docker-28.5", [_test("docker-28.5", "test_ping", "Pass", area="system"), fuzzed])
    data.update(versions=[], errata=["swarm-create-answers-ID"])  # no spec to load: the test stays offline
    page = html.page(data, None, "Engine API compatibility report")
    for heading in [
        "<h1>Engine API compatibility report</h1>",
        "<h2>Conformance: passed/judged by engine and area</h2>",
        "<h2>Engines</h2>",
        "<h2>Flows by engine and transport</h2>",
        "<h2>Failures and errors (0)</h2>",
        "<h2>Spec fuzzing</h2>",
        "<h2>Version drift</h2>",
        "<h3>1. Between engines",
        "<h3>2. Between API versions on one engine",
        "<h3>3. Between spec versions",
        "<h3>4. Engines against the spec of their own version",
        "<h3>Spec errata applied</h3>",
    ]:
        assert heading in page
