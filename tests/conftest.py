"""The harness's unit tests: pytester runs the suite's pytest plugins in-process."""

pytest_plugins = ["pytester"]
