"""Waits poll with a deadline and say what they waited for."""

import itertools

import pytest

from fixtures.wait import WaitTimeout, until


def test_returns_the_first_truthy_answer():
    answers = itertools.chain([None, 0, ""], itertools.repeat("ready"))
    assert until(lambda: next(answers), timeout=1, what="x", interval=0) == "ready"


def test_times_out_naming_what_it_waited_for():
    with pytest.raises(WaitTimeout, match="the moon: not within 0.05 s"):
        until(lambda: False, timeout=0.05, what="the moon", interval=0.01)
