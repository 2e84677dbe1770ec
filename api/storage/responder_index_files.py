"""The responder index on disk: loaded as saved, written whole to a fresh folder and swapped in."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from index.responder_index import ResponderIndex


def index_directory(data_dir: Path) -> Path:
    """Where the responder index lives under the data directory."""
    return data_dir / "index" / "responders"


def load_index(directory: Path, description: dict[str, str]) -> ResponderIndex:
    """The saved index; raises if it is missing, damaged or made with another encoder or model."""
    return ResponderIndex.load(directory, description)


def save_index(index: ResponderIndex, directory: Path, description: dict[str, str]) -> None:
    """Write to a fresh folder, then swap it in: readers never see a half-written index.

    A crash between the two renames leaves no index, which the next use rebuilds.
    """
    staging = directory.with_name(f".{directory.name}-{uuid.uuid4().hex}")
    index.save(staging, description)
    retired = directory.with_name(f".{directory.name}-old-{uuid.uuid4().hex}")
    if directory.exists():
        directory.rename(retired)
    staging.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)
