"""Which baseline an engine is judged against."""

from fixtures import baselines


def test_a_catalog_engine_has_its_own_baseline():
    assert baselines._baseline_name("podman-5.8", chosen="docker-28.5", tls=None) == "podman-5.8"


def test_an_image_engine_gets_the_baseline_of_the_release_its_tag_names():
    assert baselines._baseline_name("image:docker:28.5.2-dind", chosen=None, tls=None) == "docker-28.5"
    assert baselines._baseline_name("image:docker:29.0.1-dind", chosen=None, tls=None) is None


def test_the_baseline_option_wins_for_engines_outside_the_catalog():
    assert baselines._baseline_name("external", chosen="docker-26.1", tls=None) == "docker-26.1"
    assert baselines._baseline_name("image:docker:28.5.2-dind", chosen="none", tls=None) is None


def test_an_external_daemon_gets_the_baseline_of_the_family_and_release_it_reports(monkeypatch):
    answers = {
        "unix:///a.sock": ("docker", "28.5.2"),
        "unix:///b.sock": ("podman", "5.4.2"),
        "unix:///c.sock": ("docker", None),
    }
    monkeypatch.setattr(baselines, "_daemon_release", lambda url, tls: answers[url])
    assert baselines._baseline_name("external:unix:///a.sock", chosen=None, tls=None) == "docker-28.5"
    assert baselines._baseline_name("external:unix:///b.sock", chosen=None, tls=None) == "podman-5.4"
    assert baselines._baseline_name("external:unix:///c.sock", chosen=None, tls=None) is None
