"""On a daemon that is not the run's, a worker that cannot join Disables only the two-node swarm tests: the one-node
ones run on the manager alone. The swarm fixtures of fixtures/scenario/swarm.py, with the swarm's calls faked."""

CONFTEST = """
import pytest
from fixtures.scenario import swarm

class FakeSwarm(swarm.TwoNodeSwarm):
    made_with = []  # the nodes of each make()

    def make(self):
        self.made_with.append([e.name for e in self.nodes()])
        if self.worker is not None:
            raise swarm.JoinError("POST /swarm/join on docker-28.5: 500 could not connect to 172.18.0.1:2377")

    def healthy(self):  # a worker never joined
        return self.worker is None

    def dismantle(self):
        return []

class FakeEngine:
    def __init__(self, name, container):
        self.name, self.container = name, container

@pytest.fixture(scope="session")
def engine():
    return FakeEngine(pytest.engine_name, pytest.engine_container)

@pytest.fixture
def engine_pool():
    return None

@pytest.fixture
def made():
    return None

@pytest.fixture(autouse=True)
def _fake_swarm(monkeypatch, engine):
    worker = FakeEngine("docker-28.5", "worker container")
    monkeypatch.setattr(
        swarm, "_new_swarm", lambda engine, pool, config: FakeSwarm(engine, worker, "172.18.0.1", "172.18.0.3")
    )

def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"swarms made with nodes: {FakeSwarm.made_with}")
"""

TESTS = """
def test_one_node(swarm_manager):
    assert swarm_manager.worker is None

def test_two_nodes(cluster):
    pass

def test_one_node_again(swarm_manager):
    assert swarm_manager.manager_address == "172.18.0.1"
"""


def _run(pytester, monkeypatch, engine_name: str, container) -> tuple:
    import pytest

    monkeypatch.setattr(pytest, "engine_name", engine_name, raising=False)
    monkeypatch.setattr(pytest, "engine_container", container, raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_swarm_flows=TESTS)
    return pytester.runpytest_inprocess("-p", "fixtures.scenario.swarm", "-rs", "-p", "no:cacheprovider")


def test_an_external_daemon_no_worker_can_join_runs_the_one_node_tests_and_disables_the_two_node_ones(
    pytester, monkeypatch
):
    result = _run(pytester, monkeypatch, "external", None)
    result.assert_outcomes(passed=2, skipped=1)  # line 4: test_two_nodes
    result.stdout.fnmatch_lines(
        ["SKIPPED*test_swarm_flows.py:4: needs a second swarm node*cannot join external's swarm*2377*"]
    )
    # tried once with the worker, then made once with the manager alone, which the later tests share
    result.stdout.fnmatch_lines(["swarms made with nodes: [['external', 'docker-28.5'], ['external']]"])


def test_a_run_engine_whose_worker_cannot_join_is_a_harness_failure(pytester, monkeypatch):
    result = _run(pytester, monkeypatch, "docker-28.5", "engine container")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(["*swarm on docker-28.5: POST /swarm/join*"])
