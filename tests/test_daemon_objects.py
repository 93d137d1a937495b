"""An external daemon's objects before and after a run: only the suite's cached images may differ."""

from fixtures.engines.daemon_objects import changed

BEFORE = {"container 1a user-app", "image sha256:u user/app:1", "network 2b user-net", "volume user-vol"}


def test_the_cached_workload_image_is_no_change():
    after = BEFORE | {"image sha256:w alpine:latest,engine-conformance/alpine:01c2"}
    assert changed(BEFORE, after) == []


def test_a_leftover_and_a_removed_object_of_the_user_are_named():
    after = (BEFORE - {"volume user-vol"}) | {"network 3c conformance-net-1", "image sha256:d "}
    assert changed(BEFORE, after) == ["- volume user-vol", "+ image sha256:d ", "+ network 3c conformance-net-1"]


def test_a_user_image_that_lost_a_tag_is_a_change():
    after = (BEFORE - {"image sha256:u user/app:1"}) | {"image sha256:u "}
    assert changed(BEFORE, after) == ["- image sha256:u user/app:1", "+ image sha256:u "]
