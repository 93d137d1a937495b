"""Engine names: known recipes, official images by reference, external daemons."""

import pytest

from fixtures.engines.catalog import (
    AREA_OPERATIONS,
    ENGINES,
    NOT_IMPLEMENTED,
    UnknownEngine,
    engine_spec,
    external_addresses,
    unsupported_area,
)


def test_known_engines_have_recipes_and_expected_versions():
    assert set(ENGINES) == {"docker-20.10", "docker-26.1", "docker-28.5", "podman-4.3", "podman-5.4", "podman-5.8"}
    assert engine_spec("docker-26.1").recipe.suite == "trixie"
    assert (engine_spec("docker-28.5").version, engine_spec("docker-28.5").api_version) == ("28.5.2", "1.51")
    assert set(engine_spec("podman-5.8").unsupported) == {"plugins", "swarm", "session"}
    assert engine_spec("podman-5.8").data_dir == "/var/lib/containers"


def test_official_image_names_its_version():
    spec = engine_spec("image:docker:28.5.2-dind")
    assert (spec.image, spec.version, spec.recipe) == ("docker:28.5.2-dind", "28.5.2", None)


def test_external_engine_keeps_its_address():
    assert engine_spec("external:unix:///run/user.sock").external_url == "unix:///run/user.sock"
    assert engine_spec("external").external_url is None


def test_external_addresses_name_one_address_per_transport():
    both = "unix:///run/user.sock,tcp://h:2375,tls://h:2376"
    assert external_addresses(both, tls=True) == {
        "unix": "unix:///run/user.sock",
        "tcp": "tcp://h:2375",
        "tls": "tcp://h:2376",
    }
    assert external_addresses("tcp://h:2376", tls=True) == {"tls": "tcp://h:2376"}  # as DOCKER_HOST with certificates
    assert external_addresses("tcp://h:2375", tls=False) == {"tcp": "tcp://h:2375"}
    with pytest.raises(UnknownEngine, match="one address per transport"):
        external_addresses("tcp://a:1,tcp://b:2", tls=False)


@pytest.mark.parametrize("name", ["docker-99", "image:", "podman"])
def test_unknown_engine_says_what_to_choose(name):
    with pytest.raises(UnknownEngine, match="choose from docker-20.10"):
        engine_spec(name)


@pytest.mark.parametrize(
    ("operation", "area"),
    [
        ("GET /plugins", "plugins"),
        ("POST /plugins/{name}/enable", "plugins"),
        ("GET /swarm", "swarm"),
        ("POST /swarm/init", "swarm"),
        ("GET /services/{id}/logs", "swarm"),
        ("DELETE /nodes/{id}", "swarm"),
        ("GET /tasks", "swarm"),
        ("POST /configs/create", "swarm"),
        ("POST /session", "session"),
        ("GET /secrets", None),  # podman keeps secrets of its own without swarm mode
        ("POST /secrets/{id}/update", None),
        ("GET /containers/json", None),
        ("GET /pluginsx", None),
        ("GET /system/df", None),
    ],
)
def test_operations_of_areas_podman_lacks_are_unsupported_by_path(operation, area):
    assert unsupported_area(engine_spec("podman-5.8"), operation) == area


def test_docker_engines_implement_every_area():
    for name in ("docker-20.10", "docker-26.1", "docker-28.5"):
        assert unsupported_area(engine_spec(name), "GET /plugins") is None
        assert unsupported_area(engine_spec(name), "GET /secrets") is None


def test_every_unsupported_area_names_its_operations_and_its_probe():
    for spec in ENGINES.values():
        for area in spec.unsupported:
            assert AREA_OPERATIONS[area] and NOT_IMPLEMENTED[area]
