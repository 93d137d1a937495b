"""Registers the suite's plugins, split by concern; here, so that the harness's unit tests (tests/) run without them."""

import pytest

pytest_plugins = [
    "fixtures.options",  # the run's options
    "fixtures.baselines",  # known deviations as strict xfails; unseen entries
    "fixtures.engines.plugin",  # engines: sweep, pool, engine x transport parameters
    "fixtures.client.plugin",  # the api client per transport, the transcript
    "fixtures.scenario.conformity",  # every answer against the spec of the version called, judged
    "fixtures.scenario.swarm",  # the two-node swarm (cluster, swarm_manager)
    "fixtures.scenario.plugin",  # made, check, swarm, unsupported areas
    "fixtures.fuzz.plugin",  # the fuzz suite: its parameters, engine, world and judging
    "fixtures.clients.plugin",  # real clients: --client, their installs, the recording relay
    "reports.collect",  # results.json, the terminal summary, the HTML sections
]


@pytest.hookimpl(tryfirst=True)  # before xdist's own sessionstart starts the workers
def pytest_sessionstart(session: pytest.Session) -> None:
    # the plugin as registered above (importing it here first would cost it pytest's assertion rewriting)
    session.config.pluginmanager.get_plugin("fixtures.engines.plugin").build_images(session.config)
