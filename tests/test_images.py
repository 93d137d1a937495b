"""Image recipes: the hash follows the recipe and its files; hooks run at the stage the variant has."""

import dataclasses

from fixtures.engines import images
from fixtures.engines.catalog import ALPINE, ENGINES


def test_hash_changes_with_the_recipe_only():
    recipe = ENGINES["docker-28.5"].recipe
    assert images.recipe_hash(recipe) == images.recipe_hash(dataclasses.replace(recipe))
    assert images.recipe_hash(recipe) != images.recipe_hash(dataclasses.replace(recipe, suite="trixie"))


def test_hash_follows_the_files_it_copies(tmp_path, monkeypatch):
    (tmp_path / "docker-entrypoint.sh").write_text("one")
    monkeypatch.setattr(images, "RECIPES_DIR", tmp_path)
    recipe = ENGINES["docker-28.5"].recipe
    before = images.recipe_hash(recipe)
    (tmp_path / "docker-entrypoint.sh").write_text("two")
    assert images.recipe_hash(recipe) != before


def test_tag_names_recipe_and_hash():
    assert images.image_tag(ALPINE) == f"engine-conformance/alpine:{images.recipe_hash(ALPINE)[:12]}"


def test_extract_variant_uses_extract_hooks():
    command = images._mmdebstrap_command(ALPINE, "out.tar")
    assert any(arg.startswith("--extract-hook=") for arg in command)
    assert not any(arg.startswith("--customize-hook=") for arg in command)
    assert command[-3:] == ["bookworm", "out.tar", images.MIRROR]


def test_a_partial_suite_comes_with_its_base_suite_and_pins_only_the_recipes_packages_there():
    command = images._mmdebstrap_command(ENGINES["podman-6.1"].recipe, "out.tar")
    mirror = images.MIRROR
    assert command[-4:] == ["sid", "out.tar", f"deb {mirror} sid main", f"deb {mirror} experimental main"]
    (hook,) = [arg for arg in command if arg.startswith("--setup-hook=")]
    assert "/etc/apt/preferences.d/" in hook
    for package in ("podman", "netavark", "golang-github-containers-common"):
        assert f"Package: {package}\nPin: release a=experimental\nPin-Priority: 990" in hook
    assert "Package: runc" not in hook  # what experimental lacks, or need not give, comes from sid


def test_engine_recipe_copies_its_entrypoint():
    command = images._mmdebstrap_command(ENGINES["docker-20.10"].recipe, "out.tar")
    assert any("upload" in arg and arg.endswith("/usr/local/bin/engine-entrypoint") for arg in command)


def test_missing_images_are_built_side_by_side_and_the_rest_left_be(monkeypatch):
    """A fresh machine's first run needs four images: they build at once, not one after another."""
    import threading

    from fixtures.engines.catalog import PLUGIN_ROOTFS, REGISTRY

    present = {images.image_tag(REGISTRY)}
    started, both_running = [], threading.Barrier(2, timeout=5)

    def build(client, recipe, tag, say):
        started.append(recipe.name)
        both_running.wait()  # times out (BrokenBarrierError) if the builds ran one after another
        present.add(tag)

    import contextlib

    monkeypatch.setattr(images, "_build_lock", contextlib.nullcontext)  # not the real lock another build may hold
    monkeypatch.setattr(images, "_exists", lambda client, tag: tag in present)
    monkeypatch.setattr(images, "_build", build)
    said = []
    tags = images.ensure_images(None, [REGISTRY, ALPINE, PLUGIN_ROOTFS, ALPINE], said.append)
    assert sorted(started) == ["alpine", "plugin-rootfs"]
    assert tags == [images.image_tag(r) for r in (REGISTRY, ALPINE, PLUGIN_ROOTFS)]
    assert said and said[-1].startswith("built 2 images side by side in ")


def test_every_failed_build_is_said_in_one_error(monkeypatch):
    import contextlib

    import pytest

    def build(client, recipe, tag, say):
        raise images.ImageBuildError(f"mmdebstrap failed for {recipe.name}")

    monkeypatch.setattr(images, "_build_lock", contextlib.nullcontext)
    monkeypatch.setattr(images, "_exists", lambda client, tag: False)
    monkeypatch.setattr(images, "_build", build)
    with pytest.raises(images.ImageBuildError, match="failed for registry; mmdebstrap failed for alpine"):
        images.ensure_images(None, images.recipes_of(["podman-5.8"])[1:], print)


def test_recipes_of_a_run():
    names = [
        [r.name for r in images.recipes_of(engines)] for engines in (["docker-28.5", "podman-5.8"], ["podman-5.8"])
    ]
    assert names == [
        ["docker-28.5", "podman-5.8", "registry", "alpine", "plugin-rootfs"],
        ["podman-5.8", "registry", "alpine"],
    ]
