"""Model versions: the live pointer, promotion with a rollback stack, and the shipped fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.services.models import SHIPPED_MODELS, ModelRegistry, NothingToRollBack, UnknownVersion


def _version(root: Path, name: str) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "manifest.json").write_text(json.dumps({"version": name, "created_at": name}))


def test_without_a_pointer_the_shipped_live_version_serves(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models")
    shipped = json.loads((SHIPPED_MODELS / "live.json").read_text())["version"]
    assert registry.live_version() == shipped
    assert registry.live_directory() == SHIPPED_MODELS / shipped
    with pytest.raises(NothingToRollBack):
        registry.rollback()


def test_promote_and_roll_back_in_order(tmp_path: Path) -> None:
    root = tmp_path / "models"
    shipped = ModelRegistry(root).live_version()
    _version(root, "v-one")
    _version(root, "v-two")
    registry = ModelRegistry(root)
    registry.promote("v-one", "better on held-out")
    registry.promote("v-two", "better again", forced=True, by="tester")
    assert registry.live_version() == "v-two"
    assert {m["version"] for m in registry.manifests()} >= {"v-one", "v-two", shipped}
    assert registry.rollback() == "v-one"
    assert registry.rollback() == shipped
    with pytest.raises(NothingToRollBack):
        registry.rollback()
    actions = [(entry["action"], entry["version"], entry["forced"]) for entry in registry.history()]
    assert actions == [("promote", "v-one", False), ("promote", "v-two", True),
                       ("rollback", "v-one", False), ("rollback", shipped, False)]
    assert not list(root.glob(".live.json-*")), "no pointer left half-written"


@pytest.mark.parametrize("name", ["v-missing", "../etc", ".hidden", ""])
def test_unknown_or_unsafe_versions_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnknownVersion):
        ModelRegistry(tmp_path).promote(name, "no")
