"""Registers the suite's plugins, split by concern."""
pytest_plugins = ["fixtures.plugin", "fixtures.baselines", "reports.plugin", "fixtures.scenario"]
