"""Waits poll with a deadline and say what they waited for."""

import itertools

import pytest

from fixtures.wait import WaitTimeout, until


def test_returns_the_first_truthy_answer():
    answers = itertools.chain([None, 0, ""], itertools.repeat("ready"))
    assert until(lambda: next(answers), timeout=1, what="x", interval=0) == "ready"


def test_times_out_naming_what_it_waited_for():
    with pytest.raises(WaitTimeout, match="the moon: not within 0.05 s; last seen: False"):
        until(lambda: False, timeout=0.05, what="the moon", interval=0.01)


def test_an_accepted_answer_is_returned_and_a_refused_one_reported():
    states = iter(["created", "running", "exited"])
    assert until(lambda: next(states), timeout=1, what="exited", interval=0, accept=lambda s: s == "exited") == "exited"
    with pytest.raises(WaitTimeout, match="running: not within 0.05 s; last seen: 'created'"):
        until(lambda: "created", timeout=0.05, what="running", interval=0.01, accept=lambda s: s == "running")
