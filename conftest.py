"""Registers the suite's plugins, split by concern."""
pytest_plugins = ["fixtures.plugin", "fixtures.scenario", "fixtures.baselines", "reports.plugin"]
