"""An external daemon's objects before and after a run: only the suite's cached images may differ."""

from fixtures.engines.daemon_objects import changed

BEFORE = {"container 1a /user-app", "image user/app:1 sha256:u", "network 2b user-net", "volume user-vol"}


def test_the_cached_workload_image_is_no_change():
    before = BEFORE | {"image alpine:latest sha256:w", "image engine-conformance/alpine:01c2 sha256:w"}
    after = BEFORE | {"image alpine:latest sha256:u", "image engine-conformance/alpine:01c2 sha256:w"}
    assert changed(before, after) == []


def test_a_leftover_and_a_removed_object_of_the_user_are_named():
    after = (BEFORE - {"volume user-vol"}) | {"network 3c conformance-net-1", "image <none> sha256:d"}
    assert changed(BEFORE, after) == ["- volume user-vol", "+ image <none> sha256:d", "+ network 3c conformance-net-1"]


def test_a_user_tag_that_moved_is_a_change():
    after = (BEFORE - {"image user/app:1 sha256:u"}) | {"image user/app:1 sha256:v"}
    assert changed(BEFORE, after) == ["- image user/app:1 sha256:u", "+ image user/app:1 sha256:v"]
