"""Classifier versions, which one is live, promotion and rollback.

Two places hold versions: the shipped ones in the repository (read only) and those trained
here, under the models root (by default inside the data directory). The live pointer
(``live.json``) in the models root names the live version and the stack of versions that were
live before it (for rollback); without one, the shipped pointer decides.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from api.services.errors import NothingToRollBack, ReasonRequired, UnknownVersion, quoted

# The shipped versions are package data of the top-level `models` package.
SHIPPED_MODELS = Path(str(files("models") / "classifier"))
LIVE_POINTER = "live.json"
HISTORY = "history.jsonl"
MANIFEST = "manifest.json"


def live_model_directory(models_root: Path = SHIPPED_MODELS) -> Path:
    """The directory of the live classifier version (the models root, then the shipped models)."""
    return ModelRegistry(models_root).live_directory()


class ModelRegistry:
    """The versions under a models root and the shipped models, and the live pointer."""

    def __init__(self, root: Path, shipped: Path = SHIPPED_MODELS) -> None:
        self.root = root
        self.shipped = shipped

    def _pointer(self) -> dict[str, Any]:
        for folder in (self.root, self.shipped):
            path = folder / LIVE_POINTER
            if path.is_file():
                pointer: dict[str, Any] = json.loads(path.read_text())
                return pointer
        raise FileNotFoundError(
            f"No live classifier: {self.root / LIVE_POINTER} is missing. Train one with "
            "'needmatch train --data FILE --out DIR' and pass it with --model DIR."
        )

    def live_version(self) -> str:
        """The live version's name."""
        return str(self._pointer()["version"])

    def live_directory(self) -> Path:
        """The live version's directory."""
        return self.directory(self.live_version())

    def directory(self, version: str) -> Path:
        """Where a version is (trained here first, then shipped)."""
        if not version or "/" in version or version.startswith("."):
            raise UnknownVersion(f"{quoted(version)} is not a model version name")
        for folder in (self.root, self.shipped):
            if (folder / version / MANIFEST).is_file():
                return folder / version
        raise UnknownVersion(f"no classifier version {quoted(version)} (see 'needmatch models list')")

    def manifests(self) -> list[dict[str, Any]]:
        """Every version's manifest (trained here and shipped), newest first."""
        seen: dict[str, dict[str, Any]] = {}
        for folder in (self.root, self.shipped):
            for path in folder.glob(f"*/{MANIFEST}"):
                if path.parent.name.startswith(".") or path.parent.name in seen:
                    continue
                try:
                    manifest = json.loads(path.read_text())
                except json.JSONDecodeError:
                    continue
                manifest["_directory"] = str(path.parent)
                seen[path.parent.name] = manifest
        return sorted(seen.values(), key=lambda m: str(m.get("created_at", "")), reverse=True)

    def promote(self, version: str, reason: str, forced: bool = False, by: str = "") -> None:
        """Make a version live; the one live before goes on the rollback stack."""
        self.directory(version)
        try:
            pointer = self._pointer()
            stack = [*pointer.get("previous", []), pointer["version"]]
        except FileNotFoundError:
            stack = []
        if stack and stack[-1] == version:
            stack.pop()
        self._write_pointer(version, stack[-20:], "promote", reason, forced, by)

    def promote_by_hand(self, version: str, reason: str, by: str) -> None:
        """Promote by hand: a version the gate refused needs a stated reason (recorded as forced)."""
        manifest = json.loads((self.directory(version) / MANIFEST).read_text())
        gate = manifest.get("gate")
        refused = bool(gate) and not gate.get("passed")
        if refused and not reason.strip():
            raise ReasonRequired(
                f"the gate refused {version} ({'; '.join(gate.get('reasons', []))}); "
                "give a reason to promote it anyway")
        self.promote(version, reason.strip() or "promoted by hand", forced=refused, by=by)

    def rollback(self, by: str = "") -> str:
        """Go back to the version that was live before the current one; returns it."""
        pointer = self._pointer()
        stack = list(pointer.get("previous", []))
        if not stack:
            raise NothingToRollBack("no earlier live version to roll back to")
        version = stack.pop()
        self.directory(version)
        self._write_pointer(version, stack, "rollback", f"rolled back from {pointer['version']}",
                            False, by)
        return version

    def store(self, directory: Path) -> None:
        """Make a version written under the root known everywhere (files: it already is)."""

    def history(self) -> list[dict[str, Any]]:
        """Every promotion and rollback, oldest first."""
        path = self.root / HISTORY
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def _write_pointer(self, version: str, stack: list[str], action: str, reason: str,
                       forced: bool, by: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        pointer = {"version": version, "previous": stack, "since": now, "action": action,
                   "reason": reason, "forced": forced}
        # Written aside and renamed over: a reader sees the old pointer or the new, never half.
        staging = self.root / f".{LIVE_POINTER}-{uuid.uuid4().hex}"
        staging.write_text(json.dumps(pointer) + "\n")
        os.replace(staging, self.root / LIVE_POINTER)
        with (self.root / HISTORY).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"at": now, "action": action, "version": version,
                                     "reason": reason, "forced": forced, "by": by}) + "\n")


def version_summary(manifest: dict[str, Any], live: str) -> dict[str, Any]:
    """One version as the admin view lists it."""
    metrics = manifest.get("metrics", {})
    gate = manifest.get("gate")
    version = manifest.get("version", "")
    return {
        "version": version,
        "live": version == live,
        "created_at": manifest.get("created_at"),
        "primary": metrics.get("primary"),
        "primary_value": metrics.get(metrics.get("primary", ""), metrics.get("cv_primary_value")),
        "per_label_f1": metrics.get("held_out_per_label_f1", metrics.get("cv_per_label_f1", {})),
        "labels": manifest.get("labels", []),
        "rows": manifest.get("training", {}).get("rows"),
        "gate": ({"passed": gate.get("passed"), "reasons": gate.get("reasons", []),
                  "live_primary": gate.get("live_primary"), "forced_reason": gate.get("forced_reason")}
                 if gate else None),
        "has_chart": "held_out" in manifest,
    }
