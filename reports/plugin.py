"""Report plumbing: the engines of the run in the terminal summary and the HTML report header."""
from __future__ import annotations

import html

import pytest

from fixtures.plugin import STARTED


def engine_rows(config: pytest.Config) -> list[dict]:
    rows = []
    for engine in config.stash.get(STARTED, {}).values():
        rows.append({
            "engine": engine.name,
            "version": engine.version.get("Version", "?"),
            "api": engine.api_version or "?",
            "min api": engine.version.get("MinAPIVersion", "?"),
            "image": engine.image or "-",
            "profile": engine.profile,
            "ready (s)": f"{engine.ready_seconds:.2f}" if engine.ready_seconds is not None else "-",
            "transports": ", ".join(engine.addresses),
        })
    return rows


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    rows = engine_rows(config)
    if rows:
        terminalreporter.section("engines")
        for row in rows:
            terminalreporter.write_line("  ".join(f"{key}={value}" for key, value in row.items()))


def pytest_html_results_summary(prefix, summary, postfix, session) -> None:
    rows = engine_rows(session.config)
    if not rows:
        return
    head = "".join(f"<th>{html.escape(key)}</th>" for key in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows)
    prefix.append(f"<h2>Engines</h2><table class='engines'><tr>{head}</tr>{body}</table>")
