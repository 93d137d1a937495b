"""The HTML report: every value from a results file is escaped, and every section is there."""

import json
import re
from pathlib import Path

from reports import html, verdict
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
    page = re.sub(r"<h2 id='\w+'>", "<h2>", html.page(data, None, "Engine API compatibility report"))
    for heading in [
        "<h2>Verdict</h2>",
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


def _one_new_one_known() -> dict:
    """A docker-28.5 run with one new deviation (GET /info on two transports) and one known one."""
    new = {
        **_test("docker-28.5", "test_info", "Fail", area="system"),
        "message": "GET /info 200 disagrees with the API 1.51 spec:",
        "cause": ["GET /info 200 disagrees with the API 1.51 spec:", "  /Isolation: expected enum ['a'], got ''"],
        "curl": "curl -sS -X GET --unix-socket /tmp/run-1/docker.sock http://localhost/v1.51/info",
        "schema_mismatches": [
            {
                "api": "1.51",
                "operation": "GET /info",
                "status": 200,
                "path": "/Isolation",
                "expected": "enum ['a']",
                "actual": "''",
                "baseline": False,
            }
        ],
    }
    new_tls = {**new, "id": new["id"].replace("-unix]", "-tls]"), "transport": "tls"}
    known = {**_test("docker-28.5", "test_enable", "Fail", area="plugins"), "known": True, "message": "baseline: 500"}
    passed = _test("docker-28.5", "test_ping", "Pass", area="system")
    return _results("docker-28.5", [new, new_tls, known, passed])


def test_verdict_says_fail_names_the_new_deviation_in_red_and_the_known_one_in_amber():
    page = html.page(_one_new_one_known(), None, "report")
    verdict = page[page.index("id='verdict'") : page.index("id='matrix'")]
    assert "<span class='badge'>FAIL</span>" in verdict
    assert "<span class='new'>new: test_info</span>" in verdict
    assert "<span class='new'>new in: GET /info</span>" in verdict
    assert "<span class='knowntext'>known: test_enable</span>" in verdict
    assert "<title>FAIL Engine API conformance: docker-28.5 x" in page


def test_matrix_is_red_only_for_new_deviations_and_amber_for_known_ones():
    rows = html._matrix_data(_one_new_one_known())["rows"][0]["cells"]
    areas = html._matrix_data(_one_new_one_known())["areas"]
    cells = dict(zip(areas, rows, strict=True))
    assert cells["plugins"] == {"text": "0/1 (1 known)", "css": "known"}
    assert cells["system"]["css"] == "bad"


def test_a_failure_card_groups_transports_and_shows_the_whole_cause_values_as_json_and_a_portable_curl():
    cards = verdict.failure_cards(_one_new_one_known())
    assert [(c["kind"], c["flow"], c["transports"]) for c in cards] == [
        ("new", "test_info", ["unix", "tls"]),
        ("known", "test_enable", ["unix"]),
    ]
    card = cards[0]
    assert card["cause"][1] == "  /Isolation: expected enum ['a'], got ''"
    assert card["mismatches"][0] | {} == {
        "operation": "GET /info",
        "status": 200,
        "path": "/Isolation",
        "expected": 'enum ["a"]',
        "actual": '""',
        "known": False,
    }
    assert card["curl"] == {
        "command": 'curl -sS -X GET --unix-socket "$DOCKER_SOCK" http://localhost/v1.51/info',
        "values": {"DOCKER_SOCK": "/tmp/run-1/docker.sock"},
    }
    page = html.page(_one_new_one_known(), None, "report")
    assert "<details id='t0' class='card card-new' open>" in page
    assert "<details id='t2' class='card card-known'>" in page  # known: folded


def test_portable_curl_puts_certificates_and_address_in_variables():
    tls = verdict.portable_curl(
        "curl -sS -X GET --cacert /r/certs/ca.pem --cert /r/certs/cert.pem --key /r/certs/key.pem "
        "'https://127.0.0.1:32786/v1.51/containers/json?all=1'"
    )
    assert tls["command"] == (
        'curl -sS -X GET --cacert "$DOCKER_CERT_PATH/ca.pem" --cert "$DOCKER_CERT_PATH/cert.pem" '
        '--key "$DOCKER_CERT_PATH/key.pem" "https://$DOCKER_ADDR/v1.51/containers/json?all=1"'
    )
    assert tls["values"] == {"DOCKER_CERT_PATH": "/r/certs", "DOCKER_ADDR": "127.0.0.1:32786"}


def test_verdict_lines_for_the_terminal():
    lines = verdict.verdict_lines(_one_new_one_known())
    assert lines[0].startswith("docker-28.5: FAIL  1 passed, 2 new deviations, 1 known")
    assert "  new: test_info" in lines and "  known: test_enable" in lines


def test_the_engine_vs_spec_view_shows_new_mismatches_and_folds_known_ones_into_counts():
    def mismatch(path, known):
        return {
            "operation": "GET /info",
            "status": 200,
            "api": "1.51",
            "path": path,
            "expected": "type 'array'",
            "actual": "None",
            "baseline": known,
        }

    tests = [
        _test(
            "docker-28.5",
            "test_info",
            "Fail",
            mismatches=[mismatch("/New", False), mismatch("/A", True), mismatch("/B", True)],
        )
    ]
    page = html.drift_views(_results("docker-28.5", tests, api="1.51") | {"versions": []})
    assert "(3 places: 1 new, 2 known)" in page
    assert "/New" in page and "/A" not in page, "known places are counted, not listed"
    assert "2 known mismatches" in page


def test_the_engines_section_says_once_which_api_was_judged_with_an_older_spec():
    data = _results("external", [_test("external", "test_ping", "Pass", area="system")])
    data["spec_fallbacks"] = ["API 1.52 judged with the 1.51 spec"]
    data["engines"]["external"]["description"] = "Docker 29"
    sections = html.report_sections(data)
    assert sections.count("API 1.52 judged with the 1.51 spec") == 1
    assert "Docker 29" in sections


CLIENTS_RESULTS = Path(__file__).parent / "data" / "clients-results.json"  # two clients on two engines, recorded


def _cells(data: dict) -> dict[tuple[str, str], dict]:
    table = html._clients_data(data)
    return {
        (f"{row['client']} {row['version']}", column): cell
        for row in table["rows"]
        for column, cell in zip(table["columns"], row["cells"], strict=True)
    }


def test_the_clients_table_has_a_row_per_client_and_a_column_per_engine():
    cells = _cells(json.loads(CLIENTS_RESULTS.read_text()))
    assert cells[("docker-cli 28.5.2", "docker-28.5")]["text"] == "1/1"
    assert cells[("docker-cli 28.5.2", "docker-28.5")]["css"] == "good"
    known = cells[("aiodocker 0.27.0", "podman-5.8")]
    assert (known["text"], known["css"]) == ("0/1 (1 known)", "known")
    data = json.loads(CLIENTS_RESULTS.read_text())
    index = next(i for i, t in enumerate(data["tests"]) if t["client"] == "aiodocker" and t["engine"] == "podman-5.8")
    assert known["anchor"] == f"t{index}"


def test_a_new_client_failure_is_red_and_links_to_its_card_with_step_and_requests():
    data = json.loads(CLIENTS_RESULTS.read_text())
    index, test = next((i, t) for i, t in enumerate(data["tests"]) if t["engine"] == "docker-28.5")
    message = (
        "step 'pull' failed: docker pull x\noutput: denied\nthe client's last requests:\nPOST /v1.51/images/create 500"
    )
    test.update(status="Fail", message=message, cause=message.splitlines(), step="pull")
    cell = _cells(data)[(f"{test['client']} {test['client_version']}", "docker-28.5")]
    assert (cell["text"], cell["css"], cell["anchor"]) == ("0/1", "bad", f"t{index}")
    sections = html.report_sections(data)
    card = sections[sections.index(f"<details id='t{index}'") :].split("</details>")[0]
    assert f"<b>{test['client']} {test['client_version']}</b>" in card and "step <code>pull</code>" in card
    assert "docker pull x" in card and "POST /v1.51/images/create 500" in card
    assert sections.index("id='clients'") < sections.index("id='matrix'")  # first after the verdict


def test_a_client_not_judged_is_grey_with_its_reason_and_transports_get_columns_when_several():
    data = json.loads(CLIENTS_RESULTS.read_text())
    tcp = {**data["tests"][0], "transport": "tcp", "status": "Disabled", "message": "docker-28.5 does not serve tcp"}
    data["tests"].append(tcp)
    cells = _cells(data)
    cell = cells[(f"{tcp['client']} {tcp['client_version']}", "docker-28.5 tcp")]
    assert (cell["text"], cell["css"]) == ("Disabled: docker-28.5 does not serve tcp", "none")
    other = next(key for key in cells if key[0] != f"{tcp['client']} {tcp['client_version']}")[0]
    assert cells[(other, "docker-28.5 tcp")]["text"] == "not run"
    assert html._clients_data({**data, "tests": [t for t in data["tests"] if not t.get("client")]}) is None
