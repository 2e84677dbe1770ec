"""FAISS inner-product indexes: exact (flat), inverted lists (IVF) and graph (HNSW), keyed by int64 ids."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from index.base import MANIFEST, IndexMismatch, VectorIndex

DATA = "index.faiss"
NODES = "nodes.npz"
# A filtered walk's widest ef_search: beyond it, scoring the admitted vectors is cheaper anyway.
MAXIMUM_EF_SEARCH = 4096


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
        # Removal scans the whole index: only ids that are present are ever removed.
        self._present: set[int] = set()

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced."""
        ids, vectors = self._check(ids, vectors)
        self.remove(ids)
        self._index.add_with_ids(vectors, ids)
        self._present.update(ids.tolist())

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; returns how many were removed."""
        present = [i for i in np.asarray(ids, dtype=np.int64).tolist() if i in self._present]
        if not present:
            return 0
        self._present.difference_update(present)
        return int(self._index.remove_ids(np.asarray(present, dtype=np.int64)))

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
        self._present = set(_faiss().vector_to_array(self._index.id_map).tolist())


class FaissIVFIndex(VectorIndex):
    """Inverted-file index (IndexIVFFlat, inner product) for 10^5-10^6 vectors.

    It must be built (trained) on data before vectors are added one by one; removal and
    filtered search (IDSelectorBatch) work as on the exact index. nprobe trades speed for
    recall: the scale benchmark prints both (256 keeps recall@10 at 0.97-0.98 there).
    """

    backend = "faiss-ivf"

    def __init__(self, dimension: int, nlist: int | None = None, nprobe: int = 256) -> None:
        super().__init__(dimension)
        self.nlist = nlist
        self.nprobe = nprobe
        self._index: Any = None

    def clear(self) -> None:
        """Forget everything, training included."""
        self._index = None

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Train the coarse quantiser on a sample (k-means is the slow part), then add all."""
        ids, vectors = self._check(ids, vectors)
        faiss = _faiss()
        if len(vectors) == 0:
            raise ValueError("an IVF index is built from at least one vector")
        wanted = self.nlist or min(2048, int(4 * np.sqrt(len(vectors))))
        nlist = max(1, min(wanted, len(vectors)))
        quantizer = faiss.IndexFlatIP(self.dimension)
        index = faiss.IndexIVFFlat(quantizer, self.dimension, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = vectors
        sample_size = min(len(vectors), max(40 * nlist, 100_000))
        if len(vectors) > sample_size:
            chosen = np.random.default_rng(0).choice(len(vectors), sample_size, replace=False)
            sample = vectors[np.sort(chosen)]
        index.train(sample)
        index.add_with_ids(vectors, ids)
        self._index, self.nlist = index, nlist

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors to a built index; an id already present is replaced."""
        if self._index is None:
            self.build(ids, vectors)
            return
        ids, vectors = self._check(ids, vectors)
        self.remove(ids)
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; returns how many were removed."""
        if self._index is None:
            return 0
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, score) per query among the nprobe closest lists."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if self._index is None or len(self) == 0 or k <= 0:
            return [[] for _ in queries]
        faiss = _faiss()
        selector = None
        if allowed_ids is not None:
            allowed = np.ascontiguousarray(allowed_ids, dtype=np.int64)
            if allowed.size == 0:
                return [[] for _ in queries]
            selector = faiss.IDSelectorBatch(allowed)
        parameters = faiss.SearchParametersIVF(nprobe=min(self.nprobe, self.nlist or 1), sel=selector)
        scores, ids = self._index.search(queries, min(k, len(self)), params=parameters)
        return [
            [(int(i), float(s)) for i, s in zip(id_row, score_row, strict=True) if i != -1]
            for id_row, score_row in zip(ids, scores, strict=True)
        ]

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def _save_data(self, directory: Path) -> None:
        if self._index is not None:
            _faiss().write_index(self._index, str(directory / DATA))

    def _load_data(self, directory: Path) -> None:
        path = directory / DATA
        self._index = _faiss().read_index(str(path)) if path.exists() else None
        if self._index is not None:
            self.nlist = int(self._index.nlist)


class FaissHNSWIndex(VectorIndex):
    """Graph search (IndexHNSWFlat, inner product on unit vectors) for 10^5-10^6 vectors.

    FAISS numbers the graph's nodes 0..n-1 in the order they are added; this class keeps each
    node's id and the way back (a table indexed by id while ids are small non-negative integers,
    as the responder index's are; sorted arrays otherwise), which is what IndexIDMap2 would do,
    but lets a search name nodes in a bitmap.

    Removal: an HNSW graph in FAISS cannot delete a node. A removed or replaced vector's node
    stays in the graph, where it still routes walks, but is marked dead and left out of every
    search (an IDSelectorBitmap of the live nodes). Dead nodes still cost memory and search
    time: `compact` rebuilds the graph from the live vectors, and runs by itself once dead nodes
    outnumber live ones (so each rebuild follows at least as many removals as it keeps vectors).

    Filtered search: a walk in FAISS keeps ef_search candidates whether or not the filter admits
    them, so a filter admitting a share s of the vectors widens ef_search to ef_search / sqrt(s)
    (at most MAXIMUM_EF_SEARCH). When few ids are admitted, scoring each of them is both faster
    than such a walk and exact: the search scores them when there are at most
    `exact_cost_ratio` x (the widened ef_search) of them. Scoring one admitted vector costs
    about a twentieth of one step of the walk (measured on 10^5-10^6 384-d vectors), hence 20.

    Defaults, from `needmatch benchmark-scale` on 10^6 clustered 384-d vectors: M 32 needs half
    the efSearch of M 16 for the same recall@10 (0.948 at 128 against 0.948 at 256; 0.988 at 256
    against 0.988 at 512), which more than pays for its longer neighbour lists; efConstruction
    above 64 added at most 0.014 recall@10 at 10^5 for two to four times the build time; efSearch
    256 is the lowest measured value keeping recall@10 at 0.95 or more unfiltered (0.988) and
    under every filter measured, the hardest being 20 % of the vectors in one region (0.958).
    """

    backend = "faiss-hnsw"

    def __init__(self, dimension: int, m: int = 32, ef_construction: int = 64, ef_search: int = 256,
                 exact_cost_ratio: float = 20.0) -> None:
        super().__init__(dimension)
        self.m, self.ef_construction, self.ef_search = m, ef_construction, ef_search
        self.exact_cost_ratio = exact_cost_ratio
        self.clear()

    def clear(self) -> None:
        """Remove everything."""
        faiss = _faiss()
        self._index = faiss.IndexHNSWFlat(self.dimension, self.m, faiss.METRIC_INNER_PRODUCT)
        self._index.hnsw.efConstruction = self.ef_construction
        self._ids = np.zeros(0, dtype=np.int64)
        self._live = np.zeros(0, dtype=bool)
        self._reindex()

    # Ids and nodes --------------------------------------------------------------------------

    def _reindex(self) -> None:
        """Rebuild the way from ids to live nodes: a table when ids are dense enough, else sorted arrays."""
        nodes = np.flatnonzero(self._live)
        ids = self._ids[nodes]
        self._live_count = len(nodes)
        self._live_bitmap: np.ndarray | None = None
        self._table: np.ndarray | None = None
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None
        if len(ids) == 0 or (ids.min() >= 0 and ids.max() < self._table_limit()):
            self._table = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
            self._table[ids] = nodes
        else:
            order = np.argsort(ids, kind="stable")
            self._sorted = ids[order], nodes[order]

    def _table_limit(self) -> int:
        # At most 16 bytes of table per node: a table indexed by id beats a search in sorted ids.
        return max(2 * len(self._ids), 1 << 20)

    def _lookup(self, ids: np.ndarray) -> np.ndarray:
        """The live node holding each id, -1 where none does."""
        if self._table is not None:
            if len(ids) == 0 or (ids.min() >= 0 and ids.max() < len(self._table)):
                return self._table[ids]
            nodes = np.full(len(ids), -1, dtype=np.int64)
            inside = (ids >= 0) & (ids < len(self._table))
            nodes[inside] = self._table[ids[inside]]
            return nodes
        if self._sorted is None:
            self._reindex()
            return self._lookup(ids)
        sorted_ids, sorted_nodes = self._sorted
        if len(sorted_ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        where = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        return np.where(sorted_ids[where] == ids, sorted_nodes[where], -1)

    def _nodes_of(self, ids: np.ndarray) -> np.ndarray:
        """The live nodes holding these ids (ids not present are left out)."""
        nodes = self._lookup(ids)
        return nodes[nodes >= 0]

    def _forget(self, nodes: np.ndarray) -> None:
        """Mark live nodes dead and drop their ids from the way back."""
        self._live[nodes] = False
        self._live_count -= len(nodes)
        self._live_bitmap = None
        if self._table is not None:
            self._table[self._ids[nodes]] = -1
        else:
            self._sorted = None

    # The VectorIndex interface --------------------------------------------------------------

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors; an id already present is replaced (its old node is marked dead)."""
        ids, vectors = self._check(ids, vectors)
        if len(ids) == 0:
            return
        self._forget(self._nodes_of(ids))
        first = len(self._ids)
        self._index.add(vectors)
        nodes = np.arange(first, first + len(ids), dtype=np.int64)
        self._ids = np.concatenate([self._ids, ids])
        self._live = np.concatenate([self._live, np.ones(len(ids), dtype=bool)])
        self._live_count += len(ids)
        self._live_bitmap = None
        if self._table is not None and ids.min() >= 0 and ids.max() < self._table_limit():
            if ids.max() >= len(self._table):
                grown = max(int(ids.max()) + 1, 2 * len(self._table))
                self._table = np.concatenate([self._table, np.full(grown - len(self._table), -1)])
            self._table[ids] = nodes
        else:
            self._table, self._sorted = None, None
        self._compact_if_mostly_dead()

    def remove(self, ids: np.ndarray) -> int:
        """Mark ids' nodes dead (FAISS cannot delete from the graph); returns how many were removed."""
        nodes = self._nodes_of(np.unique(np.asarray(ids, dtype=np.int64).reshape(-1)))
        self._forget(nodes)
        self._compact_if_mostly_dead()
        return len(nodes)

    def _compact_if_mostly_dead(self) -> None:
        dead = len(self._ids) - len(self)
        if dead > len(self):
            self.compact()

    def compact(self) -> None:
        """Rebuild the graph from the live vectors only (dead nodes gone; node numbers change)."""
        live = np.flatnonzero(self._live)
        vectors = self._vectors()[live]  # a copy: the graph's memory is freed below
        ids = self._ids[live]
        self.clear()
        if len(ids):
            self._index.add(vectors)
            self._ids, self._live = ids, np.ones(len(ids), dtype=bool)
            self._reindex()

    def _vectors(self) -> np.ndarray:
        """The stored vectors, one row per node (a view of FAISS's memory: do not keep it)."""
        count = int(self._index.ntotal)
        storage = _faiss().downcast_index(self._index.storage)
        if count == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _faiss().rev_swig_ptr(storage.get_xb(), count * self.dimension).reshape(count, self.dimension)

    def _live_bitmap_if_any_dead(self) -> np.ndarray | None:
        """The live nodes, one bit each, for a walk to skip dead ones (None: none is dead)."""
        if len(self) == len(self._ids):
            return None
        if self._live_bitmap is None:
            self._live_bitmap = np.packbits(self._live, bitorder="little")
        return self._live_bitmap

    def _admitted(self, ids: np.ndarray, k: int) -> tuple[int, np.ndarray | None, np.ndarray | None]:
        """How many live nodes a filter admits, and either their list (to score each) or a bitmap (to walk).

        A short id list is listed directly. A long one is marked in a mask over all nodes (no
        sorting, no filtering of the 2 x 10^5 ids a wide filter passes), which counts the admitted
        nodes and packs into the walk's bitmap.
        """
        looked_up = self._lookup(ids)
        if len(ids) <= self.exact_cost_ratio * self.filtered_ef_search(len(ids), k):
            # Even were every id live, scoring them would beat the walk.
            nodes = np.unique(looked_up[looked_up >= 0])
            return len(nodes), nodes, None
        mask = np.zeros(len(self._ids) + 1, dtype=bool)
        mask[looked_up] = True  # ids not present (-1) mark the spare last slot
        mask = mask[:-1]
        admitted = int(np.count_nonzero(mask))
        if admitted <= self.exact_cost_ratio * self.filtered_ef_search(admitted, k):
            return admitted, np.flatnonzero(mask), None
        return admitted, None, np.packbits(mask, bitorder="little")

    def search(
        self, queries: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[list[tuple[int, float]]]:
        """The k best (id, score) per query: a walk of the graph, or each admitted vector scored if few."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        live = len(self)
        if live == 0 or k <= 0:
            return [[] for _ in queries]
        if allowed_ids is None:
            admitted, ef_search = live, max(self.ef_search, k)
            exact = admitted <= self.exact_cost_ratio * ef_search
            nodes = np.flatnonzero(self._live) if exact else None
            bitmap = None if exact else self._live_bitmap_if_any_dead()
        else:
            admitted, nodes, bitmap = self._admitted(np.asarray(allowed_ids, dtype=np.int64).reshape(-1), k)
            if admitted == 0:
                return [[] for _ in queries]
            ef_search = self.filtered_ef_search(admitted, k)
        k = min(k, admitted)
        if nodes is not None:
            scores, found = self._score_every(queries, k, nodes)
        else:
            faiss = _faiss()
            parameters = faiss.SearchParametersHNSW(efSearch=ef_search)
            if bitmap is not None:  # referenced until the search returns
                parameters.sel = faiss.IDSelectorBitmap(len(self._ids), faiss.swig_ptr(bitmap))
            scores, found = self._index.search(queries, k, params=parameters)
        return [
            [(int(self._ids[node]), float(score)) for node, score in zip(row, score_row, strict=True)
             if node != -1]
            for row, score_row in zip(found, scores, strict=True)
        ]

    def filtered_ef_search(self, admitted: int, k: int) -> int:
        """ef_search for a filter admitting `admitted` live vectors: widened by 1 / sqrt(share)."""
        share = min(1.0, max(admitted, 1) / max(len(self), 1))
        return min(MAXIMUM_EF_SEARCH, math.ceil(max(self.ef_search, k) / math.sqrt(share)))

    def uses_the_graph(self, admitted: int, k: int = 10) -> bool:
        """Whether a search admitting this many live vectors walks the graph (else scores each)."""
        return admitted > self.exact_cost_ratio * self.filtered_ef_search(admitted, k)

    def _score_every(self, queries: np.ndarray, k: int, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact top k among these nodes, read in place from the graph's storage (no copy)."""
        faiss = _faiss()
        nodes = np.ascontiguousarray(nodes, dtype=np.int64)
        scores = np.empty((len(queries), k), dtype=np.float32)
        found = np.empty((len(queries), k), dtype=np.int64)
        storage = faiss.downcast_index(self._index.storage)
        # ld_ids 0: every query scores the same node list.
        faiss.knn_inner_products_by_idx(
            faiss.swig_ptr(queries), storage.get_xb(), faiss.swig_ptr(nodes), self.dimension,
            len(queries), len(self._ids), len(nodes), k, faiss.swig_ptr(scores), faiss.swig_ptr(found), 0)
        return scores, found

    def memory_bytes(self) -> int:
        """Bytes held: vectors, graph links and levels, and the id maps."""
        hnsw = self._index.hnsw
        graph = 4 * (hnsw.neighbors.size() + hnsw.levels.size()) + 8 * hnsw.offsets.size()
        maps = self._ids.nbytes + self._live.nbytes
        maps += 0 if self._table is None else self._table.nbytes
        return int(self._index.ntotal) * self.dimension * 4 + graph + maps

    def __len__(self) -> int:
        return self._live_count

    def save(self, directory: Path, description: dict[str, Any] | None = None) -> None:
        """Write the graph, the nodes' ids and liveness, and a manifest with the search parameters."""
        super().save(directory, {**(description or {}), "m": self.m, "ef_construction": self.ef_construction,
                                 "ef_search": self.ef_search, "exact_cost_ratio": self.exact_cost_ratio,
                                 "dead_nodes": len(self._ids) - len(self)})

    def _save_data(self, directory: Path) -> None:
        _faiss().write_index(self._index, str(directory / DATA))
        np.savez(directory / NODES, ids=self._ids, live=self._live)

    def _load_data(self, directory: Path) -> None:
        manifest = json.loads((directory / MANIFEST).read_text())
        self.m, self.ef_construction = int(manifest["m"]), int(manifest["ef_construction"])
        self.ef_search = int(manifest["ef_search"])
        self.exact_cost_ratio = float(manifest["exact_cost_ratio"])
        self._index = _faiss().read_index(str(directory / DATA))
        with np.load(directory / NODES, allow_pickle=False) as data:
            self._ids, self._live = data["ids"], data["live"]
        if len(self._ids) != self._index.ntotal:
            raise IndexMismatch(f"{directory}: the graph and its node ids differ in length; rebuild it")
        self._reindex()
