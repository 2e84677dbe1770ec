"""FAISS exact inner-product index with id mapping (HNSW / IVF for large sizes: next slice)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.base import VectorIndex

DATA = "index.faiss"


def _faiss():  # type: ignore[no-untyped-def]
    try:
        import faiss
    except ImportError as error:
        raise ImportError("FAISS is not installed: pip install faiss-cpu==1.15.1") from error
    return faiss


class FaissFlatIndex(VectorIndex):
    """Exact search (IndexFlatIP) behind an IndexIDMap2, so ids can be removed and replaced."""

    backend = "faiss-flat"

    def __init__(self, dimension: int) -> None:
        super().__init__(dimension)
        self.clear()

    def clear(self) -> None:
        """Remove everything."""
        faiss = _faiss()
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced."""
        ids, vectors = self._check(ids, vectors)
        self.remove(ids)
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; returns how many were removed."""
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, score) per query; allowed_ids filters inside FAISS (IDSelectorBatch)."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if len(self) == 0 or k <= 0:
            return [[] for _ in queries]
        parameters = None
        if allowed_ids is not None:
            allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
            if allowed.size == 0:
                return [[] for _ in queries]
            parameters = _faiss().SearchParameters(sel=_faiss().IDSelectorBatch(allowed))
        scores, ids = self._index.search(queries, min(k, len(self)), params=parameters)
        return [
            [(int(i), float(s)) for i, s in zip(id_row, score_row, strict=True) if i != -1]
            for id_row, score_row in zip(ids, scores, strict=True)
        ]

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def _save_data(self, directory: Path) -> None:
        _faiss().write_index(self._index, str(directory / DATA))

    def _load_data(self, directory: Path) -> None:
        self._index = _faiss().read_index(str(directory / DATA))
