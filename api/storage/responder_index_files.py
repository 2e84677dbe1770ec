"""The responder index on disk: loaded as saved, written whole to a fresh folder and swapped in.

Several processes (two server workers, a command run beside them) may read and write the same
folder. A lock file beside it (`responders.lock`, taken with `flock`) orders them: a save swaps its
folder in under the exclusive lock, a load reads under the shared one, so no reader sees two
saves' files mixed and no two swaps interleave their renames.
"""

from __future__ import annotations

import fcntl
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.responder_index import ResponderIndex


def index_directory(data_dir: Path) -> Path:
    """Where the responder index lives under the data directory."""
    return data_dir / "index" / "responders"


@contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the index folder's lock file: exclusive to swap a folder in, shared to read one.

    The lock is the kernel's, tied to the open file: a process that dies releases it.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.with_name(f"{directory.name}.lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_index(directory: Path, description: dict[str, str]) -> ResponderIndex:
    """The saved index; raises if it is missing, damaged or made with another encoder or model."""
    with _locked(directory, exclusive=False):
        return ResponderIndex.load(directory, description)


def save_index(index: ResponderIndex, directory: Path, description: dict[str, str]) -> None:
    """Write to a fresh folder, then swap it in: readers never see a half-written index.

    The folder is written outside the lock (its name is this save's own); only the two renames
    are made under it. A crash between them leaves no index, which the next use rebuilds.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f".{directory.name}-{uuid.uuid4().hex}")
    retired = directory.with_name(f".{directory.name}-old-{uuid.uuid4().hex}")
    try:
        index.save(staging, description)
        with _locked(directory, exclusive=True):
            if directory.exists():
                directory.rename(retired)
            staging.rename(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # left only when the save failed
        shutil.rmtree(retired, ignore_errors=True)
