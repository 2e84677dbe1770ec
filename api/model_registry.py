"""Where classifier versions live and which one is live."""

from __future__ import annotations

import json
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_MODELS = REPOSITORY_ROOT / "models" / "classifier"
LIVE_POINTER = "live.json"


def live_model_directory(models_root: Path = SHIPPED_MODELS) -> Path:
    """The directory of the live classifier version under a models root."""
    pointer = models_root / LIVE_POINTER
    if not pointer.is_file():
        raise FileNotFoundError(
            f"No live classifier: {pointer} is missing. Train one with "
            "'needmatch train --data FILE --out DIR' and pass it with --model DIR."
        )
    version = json.loads(pointer.read_text())["version"]
    return models_root / version


def set_live_version(models_root: Path, version: str) -> None:
    """Point the live classifier at a version directory under the models root."""
    if not (models_root / version / "manifest.json").is_file():
        raise FileNotFoundError(f"No classifier version {version} under {models_root}.")
    (models_root / LIVE_POINTER).write_text(json.dumps({"version": version}) + "\n")
