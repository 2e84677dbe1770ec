"""The vector-index interface every backend implements (exact NumPy reference, FAISS, ...)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

MANIFEST = "manifest.json"


class IndexMismatch(ValueError):
    """A saved index does not fit what the caller expects (backend, dimension, encoder)."""


class VectorIndex(ABC):
    """Inner-product search over unit vectors, keyed by 64-bit integer ids."""

    backend = "abstract"

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension

    def _check(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}")
        if len(ids) != len(vectors):
            raise ValueError("ids and vectors differ in length")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("ids repeat within one call")
        return ids, vectors

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the whole content."""
        self.clear()
        self.add(ids, vectors)

    @abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced (upsert)."""

    @abstractmethod
    def remove(self, ids: np.ndarray) -> int:
        """Remove ids (unknown ids are ignored); returns how many were removed."""

    @abstractmethod
    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, inner product) per query row, best first.

        With allowed_ids, only those ids are searched: the filter holds during the search,
        never after the top k are cut.
        """

    @abstractmethod
    def __len__(self) -> int:
        """Number of stored vectors."""

    @abstractmethod
    def _save_data(self, directory: Path) -> None: ...

    @abstractmethod
    def _load_data(self, directory: Path) -> None: ...

    def save(self, directory: Path, description: dict[str, Any] | None = None) -> None:
        """Write the index and a manifest describing it (caller fields such as the encoder kept)."""
        directory.mkdir(parents=True, exist_ok=True)
        self._save_data(directory)
        manifest = {
            **(description or {}),
            "backend": self.backend,
            "dimension": self.dimension,
            "count": len(self),
        }
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")

    @classmethod
    def read_manifest(cls, directory: Path, expected: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        """A saved index's manifest, refusing one of another backend or not matching `expected`."""
        path = directory / MANIFEST
        if not path.is_file():
            raise FileNotFoundError(f"no index at {directory}")
        manifest: dict[str, Any] = json.loads(path.read_text())
        if manifest.get("backend") != cls.backend:
            raise IndexMismatch(f"{directory} holds a {manifest.get('backend')} index, not {cls.backend}")
        for key, value in (expected or {}).items():
            if manifest.get(key) != value:
                raise IndexMismatch(
                    f"{directory}: {key} is {manifest.get(key)!r}, expected {value!r}; rebuild it"
                )
        return manifest

    @classmethod
    def load(cls, directory: Path, expected: dict[str, Any] | None = None) -> VectorIndex:
        """Load an index, refusing one of another backend or not matching `expected` fields."""
        manifest = cls.read_manifest(directory, expected)
        index = cls(int(manifest["dimension"]))
        index._load_data(directory)
        if len(index) != manifest["count"]:
            raise IndexMismatch(f"{directory}: the data does not match its manifest; rebuild it")
        return index
