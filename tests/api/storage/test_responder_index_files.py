"""The responder index's folder under concurrent saves and loads (two workers on one data directory)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from api.storage.responder_index_files import index_directory, load_index, save_index
from index.responder_index import ResponderEntry, ResponderIndex
from nlp.encoding import EncodedText
from nlp.sentences import Sentence

DESCRIPTION = {"encoder": "test-encoder", "model": "test-model"}
DIMENSION = 8


def _index(size: int) -> ResponderIndex:
    """An index of `size` responders (its size tells which save a reader got)."""
    index = ResponderIndex(DIMENSION)
    generator = np.random.default_rng(size)
    for number in range(size):
        vectors = generator.normal(size=(2, DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        entry = ResponderEntry(f"r-{number}", ["family_law"], {"family_law": 1.0}, True, ["US-TX"],
                               ["en"], 2)
        index.upsert(entry, EncodedText([Sentence("one", 0, 3), Sentence("two", 4, 7)], vectors))
    return index


def test_concurrent_saves_and_loads_never_fail_nor_mix(tmp_path: Path) -> None:
    directory = index_directory(tmp_path / "var")
    save_index(_index(1), directory, DESCRIPTION)
    indexes = [_index(size) for size in range(1, 7)]
    start = threading.Barrier(8)

    def save(worker: int) -> None:
        start.wait()
        for round_ in range(25):
            save_index(indexes[(worker + round_) % len(indexes)], directory, DESCRIPTION)

    def load(_: int) -> list[int]:
        start.wait()
        # Every load sees one save whole: its vectors and records agree (load checks) and the
        # folder is there (a load between another save's two renames would find none).
        return [len(load_index(directory, DESCRIPTION)) for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        saves = [pool.submit(save, worker) for worker in range(5)]
        loads = [pool.submit(load, worker) for worker in range(3)]
        for future in saves:
            future.result()
        sizes = [size for future in loads for size in future.result()]

    assert set(sizes) <= set(range(1, 7))
    assert len(load_index(directory, DESCRIPTION)) in range(1, 7)
    # Nothing is left behind: no staging or retired folder.
    assert sorted(path.name for path in directory.parent.iterdir()) == ["responders",
                                                                         "responders.lock"]


def test_a_failed_save_leaves_the_saved_index_and_no_staging_folder(tmp_path: Path) -> None:
    directory = index_directory(tmp_path / "var")
    save_index(_index(3), directory, DESCRIPTION)

    class Unsaveable(ResponderIndex):
        def save(self, target: Path, description: dict[str, object]) -> None:
            target.mkdir()
            (target / "half-written").write_text("")
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        save_index(Unsaveable(DIMENSION), directory, DESCRIPTION)
    assert len(load_index(directory, DESCRIPTION)) == 3
    assert sorted(path.name for path in directory.parent.iterdir()) == ["responders",
                                                                         "responders.lock"]
