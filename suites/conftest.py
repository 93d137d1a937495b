"""Registers the suite's plugins, split by concern; here, so that the harness's unit tests (tests/) run without them."""

import pytest

pytest_plugins = [
    "fixtures.options",  # the run's options
    "fixtures.baselines",  # known deviations as strict xfails; unseen entries
    "fixtures.engines.plugin",  # engines: sweep, pool, engine x transport parameters
    "fixtures.client.plugin",  # the api client per transport, the transcript
    "fixtures.scenario.plugin",  # made, check, swarm, unsupported areas
    "fixtures.scenario.swarm",  # the two-node swarm (cluster)
    "fixtures.clients.plugin",  # real clients: --client, their installs, the recording relay
    "reports.collect",  # results.json, the terminal summary, the HTML sections
]


@pytest.hookimpl(tryfirst=True)  # before xdist's own sessionstart starts the workers
def pytest_sessionstart(session: pytest.Session) -> None:
    from fixtures.engines.plugin import build_images  # here: imported above, the plugins would lose assert rewriting

    build_images(session.config)
