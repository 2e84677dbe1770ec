"""The shipped classifier's training files, in the order that trains it: the one list that
`make model`, retraining (`training/retrain.py`) and the need-search benchmark read.

`python -m training.shipped` prints it (paths relative to the working directory where they lie
under it), for the Makefile.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# Folders of postings read after the top level's postings_*.jsonl, in this order (the order of
# the rows changes the fitted model and its version).
POSTING_FOLDERS = ("multilingual", "multilingual_more")


def folder_postings(data: Path = DATA) -> list[Path]:
    """The postings files of the folders, folder by folder, each folder's files sorted."""
    return [path for folder in POSTING_FOLDERS for path in sorted((data / folder).glob("*.jsonl"))]


def shipped_training(data: Path = DATA) -> tuple[Path, ...]:
    """postings_*.jsonl, then the folders' postings."""
    return tuple(sorted(data.glob("postings_*.jsonl")) + folder_postings(data))


SHIPPED_TRAINING = shipped_training()


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    print(" ".join(_shown(path) for path in SHIPPED_TRAINING))
