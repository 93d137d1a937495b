"""The contracts between the harness (fixtures/, suites/) and what reads its runs (reports/, perf/).

Defined here once; both sides import them. The module lives with its readers, the reports, and imports
nothing: the harness's layers import it without pulling in the reports' templates or the specs, and
the reports import nothing of the harness (tests/test_imports.py keeps both so).

- the status words of a test (results.json's tests[].status) and the message prefixes they are read from;
- the transcript's first line of a call: one writer (format_line) and one reader (parse_line);
- the keys of the user properties the tests' reports carry to the collector (reports/collect.py).
"""

from __future__ import annotations

import re
from typing import NamedTuple

# What a test found: harness trouble (Error) apart from conformance failures (Fail), and what an engine
# does not implement (Unsupported) apart from both.
PASS, FAIL, UNSUPPORTED, DISABLED, ERROR = "Pass", "Fail", "Unsupported", "Disabled", "Error"
STATUSES = (PASS, FAIL, UNSUPPORTED, DISABLED, ERROR)

UNSUPPORTED_PREFIX = "unsupported: "  # a skip reason so prefixed is Unsupported; other skips are Disabled
HARNESS_PREFIX = "harness: "  # a failure so prefixed is the harness's trouble: Error, not Fail
GONE_PREFIX = "engine gone since "  # after HARNESS_PREFIX: the engine died during the test named next
SYMPTOM_CHANGED = "known deviation, new symptom"  # a baseline's known failure that failed some other way: new


def unsupported(reason: str) -> str:
    """The skip reason of what an engine does not implement."""
    return UNSUPPORTED_PREFIX + reason


def harness(message: str) -> str:
    """The failure message of the harness's own trouble."""
    return HARNESS_PREFIX + message


def engine_gone(test: str) -> str:
    """The failure message of the tests that follow the one during which their engine stopped answering."""
    return harness(GONE_PREFIX + test)


# The user properties of a test's report (name, value) that reports/collect.py reads.
META = "meta"  # {engine, transport, area, flow, api_version}
API_VERSION = "api_version"  # the API version the test called
ENGINE_IDENTITY = "engine_identity"  # {engine name: identity}, on the first test of each process using it
BASELINE_SEEN = "baseline_seen"  # (engine, section, index) of a baseline entry the test met
SHAPE = "shape"  # {engine, operation, status, api, test, fields}
SCHEMA_MISMATCH = "schema_mismatch"  # {operation, status, api, path, expected, actual, baseline, kind}
CALLS = "calls"  # [[method, path, status, label, phase, checked]] of the test's API calls
CURL = "curl"  # the test's latest request as a curl command
EXCHANGE = "exchange"  # the test's latest request and an excerpt of its answer
CAUSE = "cause"  # the failure's cause, where the harness knows it better than the traceback
FAILURE = "failure"  # what a known failure said this time (its baseline entry's symptom is matched against it)
WAITED_S = "waited_s"  # seconds slept between polls (fixtures/wait.py)
FUZZ = "fuzz"  # the fuzz summary of one operation
FUZZ_FINDING = "fuzz_finding"  # one finding of the fuzz suite
# a real client's test (suites/test_clients.py): who, the API version its paths named, how many requests it sent,
# the steps it passed or skipped, and the step that failed; results.json carries them under the same keys
CLIENT, CLIENT_VERSION = "client", "client_version"
API_VERSION_SENT, CLIENT_REQUESTS = "api_version_sent", "client_requests"
STEPS, SKIPPED_STEPS, STEP = "steps", "skipped_steps", "step"
CLIENT_FIELDS = (CLIENT, CLIENT_VERSION, API_VERSION_SENT, CLIENT_REQUESTS, STEPS, SKIPPED_STEPS, STEP)


class Line(NamedTuple):
    """The first line of a call's block in the transcript."""

    method: str
    path: str
    status: int
    ms: float  # request sent to the answer's last byte
    phase: str | None  # setup, call or teardown; None in transcripts older than the phase
    sent_at: float | None  # epoch seconds; None in transcripts older than the start times
    engine: str
    transport: str
    test: str
    client: str | None = None  # the real client that sent it (through the recording relay); None: the harness


def format_line(
    method: str,
    path: str,
    status: int,
    seconds: float,
    phase: str,
    sent_at: float | None,
    label: str,
    test: str,
    client: str | None = None,
) -> str:
    """METHOD PATH STATUS (MS ms, PHASE, at EPOCH) [ENGINE TRANSPORT] TEST; label is "ENGINE TRANSPORT".

    A real client's request: [ENGINE TRANSPORT via CLIENT]; STATUS 000 where no answer came."""
    at = f", at {sent_at:.4f}" if sent_at is not None else ""
    via = f" via {client}" if client else ""
    return f"{method} {path} {status:03d} ({seconds * 1000:.2f} ms, {phase}{at}) [{label}{via}] {test}"


_LINE = re.compile(
    r"^([A-Z]+) (\S+) (\d{3}) \(([\d.]+) ms(?:, (setup|call|teardown))?(?:, at ([\d.]+))?\) "
    r"\[(\S+) (\S+)(?: via (\S+))?\] (.+)$"
)


def parse_line(line: str) -> Line | None:
    """A call's first line as format_line wrote it (older transcripts' too); None for any other line."""
    found = _LINE.match(line)
    if found is None:
        return None
    method, path, status, ms, phase, at, engine, transport, client, test = found.groups()
    return Line(method, path, int(status), float(ms), phase, float(at) if at else None, engine, transport, test, client)
