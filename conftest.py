"""Registers the suite's plugins, split by concern."""
pytest_plugins = ["fixtures.plugin", "fixtures.baselines", "fixtures.scenario", "reports.plugin"]
