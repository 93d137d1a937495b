"""What an engine container asks the host engine for, against a recording fake of docker-py's low-level API."""

from types import SimpleNamespace

import docker
import pytest

from fixtures.engines.containers import PROFILES, EngineContainer, EngineStartError

RUN_LABELS = {"io.engine-conformance.run": "r1"}


class _RecordingApi(docker.APIClient):
    """docker-py's own HostConfig and networking builders; the calls that would reach an engine are recorded."""

    def __init__(self):
        super().__init__(base_url="unix:///nonexistent.sock", version="1.51")  # no call made at construction
        self.created, self.started, self.removed = None, [], []

    def create_container(self, image, **kwargs):
        self.created = {"image": image, **kwargs}
        return {"Id": "c1"}

    def start(self, container):
        self.started.append(container)

    def port(self, container, private_port):
        return [{"HostIp": "127.0.0.1", "HostPort": str(40000 + private_port)}]


class _Container:
    def __init__(self, api, container_id):
        self.api, self.id, self.status = api, container_id, "running"

    def remove(self, **kwargs):
        self.api.removed.append((self.id, kwargs))

    def reload(self):
        pass


def _host():
    api = _RecordingApi()
    return SimpleNamespace(api=api, containers=SimpleNamespace(get=lambda container_id: _Container(api, container_id)))


def _container(host, profile):
    network = SimpleNamespace(name="engine-conformance-r1")
    return EngineContainer(
        host,
        "engine-conformance/docker-28.5:x",
        profile,
        RUN_LABELS,
        name="engine-conformance-r1-docker-28.5",
        command=["--registry-mirror=http://registry:5000"],
        network=network,
        aliases=["docker-28.5"],
        binds={"/tmp/sock": {"bind": "/run/dind", "mode": "rw"}},
        ports={2375: ("127.0.0.1",), 2376: ("127.0.0.1",)},
        tmpfs={"/var/lib/docker": "exec,size=8g"},
        extra_hosts={"docker.io": "127.0.0.1"},
    )


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_the_container_gets_every_setting_of_its_profile(profile):
    host = _host()
    _container(host, profile).start()
    created = host.api.created
    host_config = created["host_config"]
    assert created["labels"]["io.engine-conformance.run"] == "r1"
    assert created["labels"]["org.testcontainers"] == "true"  # testcontainers' labels too
    assert host_config["PortBindings"] == {
        "2375/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
        "2376/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
    }
    assert host_config["Tmpfs"] == {"/var/lib/docker": "exec,size=8g"}
    assert "/tmp/sock:/run/dind:rw" in host_config["Binds"]
    assert host_config["ExtraHosts"] == ["docker.io:127.0.0.1"]
    assert host_config["NetworkMode"] == "engine-conformance-r1"
    assert created["networking_config"]["EndpointsConfig"]["engine-conformance-r1"]["Aliases"] == ["docker-28.5"]
    assert host.api.started == ["c1"]
    if profile.name == "privileged":
        assert host_config["Privileged"] is True
    else:
        assert (host_config["MaskedPaths"], host_config["ReadonlyPaths"]) == ([], [])
        assert "seccomp=unconfined" in host_config["SecurityOpt"]
        assert "/sys/fs/cgroup:/sys/fs/cgroup:rw" in host_config["Binds"]


def test_exposed_ports_and_stop_removing_the_container():
    host = _host()
    container = _container(host, PROFILES[0]).start()
    assert container.get_exposed_port(2375) == 42375
    assert container.get_wrapped_container().id == "c1"
    container.stop()
    container.stop()  # a second stop finds nothing left to remove
    assert host.api.removed == [("c1", {"force": True, "v": True})]


def test_a_container_never_created_has_nothing_to_stop():
    host = _host()
    container = _container(host, PROFILES[0])
    container.stop()
    assert host.api.removed == []
    with pytest.raises(EngineStartError, match="not started"):
        container.get_wrapped_container()


def test_the_daemon_gets_the_environment_its_engine_names():
    host = _host()
    container = _container(host, PROFILES[1])
    container.environment = {"DOCKER_MIN_API_VERSION": "1.44"}
    container.start()
    assert host.api.created["environment"] == {"DOCKER_MIN_API_VERSION": "1.44"}
