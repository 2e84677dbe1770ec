"""Classifier versions in the database: another machine (another models root) loads the same
version; promotion and rollback are rows written in one transaction."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from api.services.errors import NothingToRollBack, UnknownVersion
from api.services.model_store import DatabaseModelRegistry
from api.services.models import SHIPPED_MODELS
from api.storage.database import make_engine, migrate
from api.storage.tables import ModelVersion


@pytest.fixture
def sessions(database_url: str) -> sessionmaker:  # type: ignore[type-arg]
    engine = make_engine(database_url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _write_version(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"version": name, "created_at": f"2026-{name}"}))
    (folder / "weights.npz").write_bytes(b"\x00weights of " + name.encode())
    return folder


def test_a_version_stored_on_one_machine_loads_on_another(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shipped = json.loads((SHIPPED_MODELS / "live.json").read_text())["version"]
    trainer = DatabaseModelRegistry(sessions, tmp_path / "worker")
    server = DatabaseModelRegistry(sessions, tmp_path / "server")
    assert server.live_version() == shipped and server.live_directory() == SHIPPED_MODELS / shipped
    trainer.store(_write_version(trainer.root, "v-one"))
    trainer.store(_write_version(trainer.root, "v-two"))
    trainer.promote("v-one", "better on held-out", by="worker")
    assert server.live_version() == "v-one"  # the pointer is a row every process reads
    folder = server.live_directory()
    assert folder == tmp_path / "server" / "v-one"
    assert (folder / "weights.npz").read_bytes() == b"\x00weights of v-one"
    assert {m["version"] for m in server.manifests()} >= {"v-one", "v-two", shipped}
    server.promote("v-two", "forced", forced=True, by="admin")
    assert trainer.live_version() == "v-two"
    assert server.rollback(by="admin") == "v-one"
    assert trainer.rollback() == shipped
    with pytest.raises(NothingToRollBack):
        server.rollback()
    assert [(entry["action"], entry["version"], entry["forced"]) for entry in server.history()] == [
        ("promote", "v-one", False), ("promote", "v-two", True), ("rollback", "v-one", False),
        ("rollback", shipped, False)]
    trainer.store(trainer.root / "v-one")  # storing again changes nothing
    with sessions() as session:
        assert session.query(ModelVersion).count() == 2


@pytest.mark.parametrize("name", ["v-missing", "../etc", ".hidden", ""])
def test_unknown_or_unsafe_versions_are_refused(sessions, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownVersion):
        DatabaseModelRegistry(sessions, tmp_path).promote(name, "no")


def test_a_stored_zip_with_an_unsafe_path_is_refused(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escaped.txt", "x")
    with sessions.begin() as session:
        session.add(ModelVersion(version="v-bad", manifest={"version": "v-bad"}, files=buffer.getvalue()))
    with pytest.raises(UnknownVersion):
        DatabaseModelRegistry(sessions, tmp_path / "models").directory("v-bad")
    assert not (tmp_path / "escaped.txt").exists()
