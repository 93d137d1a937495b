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


def test_engine_recipe_copies_its_entrypoint():
    command = images._mmdebstrap_command(ENGINES["docker-20.10"].recipe, "out.tar")
    assert any("upload" in arg and arg.endswith("/usr/local/bin/engine-entrypoint") for arg in command)
