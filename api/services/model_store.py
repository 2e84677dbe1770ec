"""Classifier versions in the database: every server and worker, on any machine, loads the same
version, and promotion and rollback are transactions.

A version is stored as its manifest and its folder's files in one zip (a few MB); a process that
needs one unpacks it once under its own models root (a cache: written aside and renamed, never
half a version). The shipped versions stay readable as before, and without a pointer row the
shipped pointer decides. Servers learn of a promotion by polling the pointer row (every
NEEDMATCH_MODEL_POLL_SECONDS).
"""

from __future__ import annotations

import io
import json
import shutil
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import UnknownVersion, quoted
from api.services.models import MANIFEST, SHIPPED_MODELS, ModelRegistry
from api.storage.tables import ModelPointer, ModelPromotion, ModelVersion

POINTER_ROW = 1


def _zipped(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()


def _unzip(data: bytes, target: Path) -> None:
    """Unpack a version beside its place and move it there whole."""
    staging = target.parent / f".{target.name}-{uuid.uuid4().hex[:8]}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if member.startswith("/") or ".." in Path(member).parts:
                raise UnknownVersion(f"stored version {quoted(target.name)} holds an unsafe path")
        archive.extractall(staging)
    try:
        staging.rename(target)
    except OSError:  # another process unpacked it first
        shutil.rmtree(staging, ignore_errors=True)


class DatabaseModelRegistry(ModelRegistry):
    """The versions stored in the database (unpacked under `root` when used) and the shipped ones,
    with the live pointer and its history as rows."""

    def __init__(self, sessions: sessionmaker[Session], root: Path,
                 shipped: Path = SHIPPED_MODELS) -> None:
        super().__init__(root, shipped)
        self.sessions = sessions

    def _pointer(self) -> dict[str, Any]:
        with self.sessions() as session:
            row = session.get(ModelPointer, POINTER_ROW)
            if row is not None:
                return {"version": row.version, "previous": list(row.previous)}
        pointer: dict[str, Any] = json.loads((self.shipped / "live.json").read_text())
        return pointer

    def directory(self, version: str) -> Path:
        """Where a version is: unpacked from the database (once), or shipped."""
        if not version or "/" in version or version.startswith("."):
            raise UnknownVersion(f"{quoted(version)} is not a model version name")
        if (self.root / version / MANIFEST).is_file():
            return self.root / version
        with self.sessions() as session:
            stored = session.get(ModelVersion, version)
            data = stored.files if stored is not None else None
        if data is not None:
            self.root.mkdir(parents=True, exist_ok=True)
            _unzip(data, self.root / version)
            return self.root / version
        if (self.shipped / version / MANIFEST).is_file():
            return self.shipped / version
        raise UnknownVersion(f"no classifier version {quoted(version)} (see 'needmatch models list')")

    def manifests(self) -> list[dict[str, Any]]:
        """Every stored and shipped version's manifest, newest first."""
        seen: dict[str, dict[str, Any]] = {}
        with self.sessions() as session:
            for row in session.scalars(select(ModelVersion)):
                seen[row.version] = {**row.manifest, "_directory": f"database:{row.version}"}
        for path in self.shipped.glob(f"*/{MANIFEST}"):
            if path.parent.name not in seen and not path.parent.name.startswith("."):
                seen[path.parent.name] = {**json.loads(path.read_text()),
                                          "_directory": str(path.parent)}
        return sorted(seen.values(), key=lambda m: str(m.get("created_at", "")), reverse=True)

    def store(self, directory: Path) -> None:
        """Keep a version written under the root in the database (once; a version never changes)."""
        manifest = json.loads((directory / MANIFEST).read_text())
        with self.sessions.begin() as session:
            if session.get(ModelVersion, directory.name) is None:
                session.add(ModelVersion(version=directory.name, manifest=manifest,
                                         files=_zipped(directory)))

    def history(self) -> list[dict[str, Any]]:
        """Every promotion and rollback, oldest first."""
        with self.sessions() as session:
            return [{"at": row.at.isoformat(timespec="seconds"), "action": row.action,
                     "version": row.version, "reason": row.reason, "forced": row.forced,
                     "by": row.by}
                    for row in session.scalars(select(ModelPromotion).order_by(ModelPromotion.id))]

    def _write_pointer(self, version: str, stack: list[str], action: str, reason: str,
                       forced: bool, by: str) -> None:
        """One transaction: the pointer row and its history row, or neither."""
        now = datetime.now(UTC)
        with self.sessions.begin() as session:
            row = session.get(ModelPointer, POINTER_ROW, with_for_update=True)
            if row is None:
                row = ModelPointer(id=POINTER_ROW)
                session.add(row)
            row.version, row.previous, row.since = version, stack, now
            row.action, row.reason, row.forced = action, reason, forced
            session.add(ModelPromotion(at=now, action=action, version=version, reason=reason,
                                       forced=forced, by=by))
