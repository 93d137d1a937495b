"""A known failure's symptom drafted from its words: what every occurrence shares, without what a run changes."""

import re

import yaml

from reports.symptoms import missing_symptoms, symptom_of, write_symptoms


def test_the_words_every_transport_shares_stay_ids_and_names_of_the_run_go():
    texts = [
        "AssertionError: DELETE /containers/3f2a9c81d0e4 answered 500, not 409\nassert 500 == 409",
        "AssertionError: DELETE /containers/77be01aa93f2 answered 500, not 409\nassert 500 == 409",
    ]
    symptom = symptom_of(texts)
    # not the exception's name (how it is raised may change), the container's id a wildcard
    assert symptom == r"DELETE\s+/containers/\S*?\s+answered\s+500,\s+not\s+409"
    assert re.search(symptom, "AssertionError: DELETE /containers/0123456789ab answered 500, not 409")
    assert not re.search(symptom, "AssertionError: DELETE /containers/0123456789ab answered 204, not 409")


def test_paths_of_this_machine_sizes_and_durations_are_left_out():
    text = "StepFailed: step 'logs' failed: /root/.cache/x/docker logs ec9ce707-web after 12.345 s, 65536 bytes"
    symptom = symptom_of([text])
    assert "root" not in symptom and "ec9ce707" not in symptom and "12.345" not in symptom and "65536" not in symptom
    assert re.search(symptom, text.replace("/root/", "/home/u/").replace("12.345", "0.101"))


def test_versions_and_statuses_are_kept():
    symptom = symptom_of(["AssertionError: client version 1.43 is too old: 400"])
    assert "1\\.43" in symptom and "400" in symptom


def test_counts_vary_and_what_pytest_cut_short_is_left_out():
    """A count of the run's objects (9 here, 7 next run) and a repr pytest cut at a length are not the symptom."""
    symptom = symptom_of(["AssertionError: assert not ['info ContainersStopped / listed: 0 != 9']"])
    assert re.search(symptom, "AssertionError: assert not ['info ContainersStopped / listed: 0 != 7']")
    cut = symptom_of(["AssertionError: assert not [{'Containers': 11, 'Created': 17, '...reated': 1, ...}]"])
    assert re.search(cut, "AssertionError: assert not [{'Containers': 6, 'Created': 17, 'Id': 'x', ...}]")


def test_the_exceptions_name_is_not_the_symptom():
    """A wait that gives up is reported as WaitTimeout in one place and as pytest's Failed in another."""
    symptom = symptom_of(["fixtures.wait.WaitTimeout: events ['tag'] for image: not within 2 s; last seen: []"])
    assert re.search(symptom, "Failed: events ['tag'] for image: not within 2 s; last seen: []")


def test_nothing_to_go_by_is_none():
    assert symptom_of([""]) is None and symptom_of([]) is None


def test_missing_symptoms_are_drafted_from_the_known_failures_and_written_under_their_entries(tmp_path):
    """`python -m reports baseline RESULTS --symptoms --write`: comments and other entries stay as they were."""
    (tmp_path / "docker-28.5.yaml").write_text(
        "# kept\ntests:\n- test: test_a.py::test_one\n  reason: r\n  link: l\n"
        "- test: test_a.py::test_two\n  symptom: already\n  reason: r\n  link: l\n"
        "- test: test_clients.py::test_workflow\n  client: compose\n  reason: r\n  link: l\n"
    )
    (tmp_path / "floor.yaml").write_text("extends: docker-28.5\ntests: []\n")

    def known(id_, engine, failure, **more):
        return {"id": id_, "engine": engine, "transport": "unix", "failure": failure, **more}

    data = {
        "engines": {"docker-28.5": {}, "floor": {"baseline": "floor"}},
        "tests": [
            known(
                "suites/test_a.py::test_one[docker-28.5-unix]",
                "docker-28.5",
                "AssertionError: got 500 for 3f2a9c81d0e4",
            ),
            known("suites/test_a.py::test_one[floor-unix]", "floor", "AssertionError: got 500 for 77be01aa93f2"),
            known(
                "suites/test_clients.py::test_workflow[x]",
                "docker-28.5",
                "StepFailed: step 'up -d' failed",
                client="docker-cli",
            ),
        ],
    }
    drafted = missing_symptoms(data, tmp_path)
    assert drafted == {"docker-28.5": [(0, r"got\s+500\s+for")]}  # not the client's: another client
    write_symptoms(tmp_path / "docker-28.5.yaml", drafted["docker-28.5"])
    text = (tmp_path / "docker-28.5.yaml").read_text()
    assert text.startswith("# kept\n") and text.count("symptom:") == 2
    assert yaml.safe_load(text)["tests"][0]["symptom"] == r"got\s+500\s+for"


def test_a_table_rows_symptom_is_drafted_from_that_row_only(tmp_path):
    """An entry test_name[CASE] takes the words of the results of its case, not of the table's other rows."""
    (tmp_path / "docker-28.5.yaml").write_text("tests:\n- test: 'test_a.py::test_row[POST /auth: empty body]'\n")
    row = {"engine": "docker-28.5", "transport": "unix", "id": "suites/test_a.py::test_row[docker-28.5-unix-x]"}
    data = {
        "engines": {"docker-28.5": {}},
        "tests": [
            {**row, "case": "POST /auth: empty body", "failure": "AssertionError: got 500"},
            {**row, "case": "POST /auth: trailing garbage", "failure": "AssertionError: got 200"},
        ],
    }
    assert missing_symptoms(data, tmp_path) == {"docker-28.5": [(0, r"got\s+500")]}
