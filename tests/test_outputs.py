"""One command never clobbers another's output."""

from fixtures.client.transcript import Transcript


def test_the_unit_tests_run_without_the_suites_plugins(pytestconfig):
    """With them, a unit run would overwrite the conformance run's results.json and transcript.log."""
    assert not pytestconfig.pluginmanager.has_plugin("fixtures.engines.plugin")
    assert not pytestconfig.pluginmanager.has_plugin("reports.collect")


def test_a_transcript_is_written_only_once_something_is_recorded(tmp_path):
    kept = tmp_path / "transcript.log"
    kept.write_text("the last run's calls\n")
    Transcript(kept).close()
    assert kept.read_text() == "the last run's calls\n"
