"""Engine names: known recipes, official images by reference, external daemons."""

import pytest

from fixtures.engines.catalog import ENGINES, UnknownEngine, engine_spec


def test_known_engines_have_recipes_and_expected_versions():
    assert set(ENGINES) == {"docker-20.10", "docker-26.1", "docker-28.5", "podman-4.3", "podman-5.4", "podman-5.8"}
    assert engine_spec("docker-26.1").recipe.suite == "trixie"
    assert (engine_spec("docker-28.5").version, engine_spec("docker-28.5").api_version) == ("28.5.2", "1.51")
    assert set(engine_spec("podman-5.8").unsupported) == {"plugins", "swarm"}
    assert engine_spec("podman-5.8").data_dir == "/var/lib/containers"


def test_official_image_names_its_version():
    spec = engine_spec("image:docker:28.5.2-dind")
    assert (spec.image, spec.version, spec.recipe) == ("docker:28.5.2-dind", "28.5.2", None)


def test_external_engine_keeps_its_address():
    assert engine_spec("external:unix:///run/user.sock").external_url == "unix:///run/user.sock"
    assert engine_spec("external").external_url is None


@pytest.mark.parametrize("name", ["docker-99", "image:", "podman"])
def test_unknown_engine_says_what_to_choose(name):
    with pytest.raises(UnknownEngine, match="choose from docker-20.10"):
        engine_spec(name)
