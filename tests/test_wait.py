"""Waits poll with a deadline and say what they waited for."""

import asyncio
import itertools

import pytest

from fixtures.wait import WaitTimeout, until, until_async


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


def test_an_async_probe_is_awaited_and_its_last_answer_reported():
    answers = iter(["starting", "started"])

    async def probe():
        return next(answers, "started")

    assert asyncio.run(until_async(probe, 1, "started", interval=0, accept=lambda s: s == "started")) == "started"

    async def stuck():
        return "starting"

    with pytest.raises(WaitTimeout, match="started: not within 0.05 s; last seen: 'starting'"):
        asyncio.run(until_async(stuck, 0.05, "started", interval=0.01, accept=lambda s: s == "started"))
