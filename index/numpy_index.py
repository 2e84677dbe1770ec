"""Exact brute-force search in NumPy: the reference the other backends are tested against."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.base import VectorIndex

DATA = "vectors.npz"


class NumpyIndex(VectorIndex):
    """Exact inner-product search over a dense matrix."""

    backend = "numpy"

    def __init__(self, dimension: int) -> None:
        super().__init__(dimension)
        self.clear()

    def clear(self) -> None:
        """Remove everything."""
        self._ids = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, self.dimension), dtype=np.float32)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced."""
        ids, vectors = self._check(ids, vectors)
        self.remove(ids)
        self._ids = np.concatenate([self._ids, ids])
        self._vectors = np.vstack([self._vectors, vectors])

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; returns how many were removed."""
        keep = ~np.isin(self._ids, np.asarray(ids, dtype=np.int64))
        removed = int((~keep).sum())
        self._ids, self._vectors = self._ids[keep], self._vectors[keep]
        return removed

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, score) per query, ties broken by id."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        ids, vectors = self._ids, self._vectors
        if allowed_ids is not None:
            mask = np.isin(ids, np.asarray(allowed_ids, dtype=np.int64))
            ids, vectors = ids[mask], vectors[mask]
        scores = queries @ vectors.T
        results = []
        for row in scores:
            order = np.lexsort((ids, -row))[:k]
            results.append([(int(ids[i]), float(row[i])) for i in order])
        return results

    def __len__(self) -> int:
        return len(self._ids)

    def _save_data(self, directory: Path) -> None:
        np.savez(directory / DATA, ids=self._ids, vectors=self._vectors)

    def _load_data(self, directory: Path) -> None:
        with np.load(directory / DATA, allow_pickle=False) as data:
            self._ids, self._vectors = data["ids"], data["vectors"]
