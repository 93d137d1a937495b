"""Registers the suite's plugins, split by concern; here, so that the harness's unit tests (tests/) run without them."""
pytest_plugins = ["fixtures.plugin", "fixtures.baselines", "reports.plugin", "fixtures.scenario"]
