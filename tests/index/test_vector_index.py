"""One contract, every backend; the FAISS and pgvector backends agree with the NumPy reference."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.base import IndexMismatch, VectorIndex
from index.faiss_index import FaissFlatIndex, FaissHNSWIndex, FaissIVFIndex
from index.numpy_index import NumpyIndex
from index.pgvector_index import PgVectorIndex


def _exhaustive_ivf(dimension: int) -> FaissIVFIndex:
    # nprobe = nlist: every list is searched, so results must equal exact search.
    return FaissIVFIndex(dimension, nlist=4, nprobe=4)


_exhaustive_ivf.backend = "faiss-ivf"  # type: ignore[attr-defined]


def _graph_only_hnsw(dimension: int) -> FaissHNSWIndex:
    # exact_cost_ratio 0: every search walks the graph, even over 50 vectors (the default scores them).
    return FaissHNSWIndex(dimension, exact_cost_ratio=0.0)


_graph_only_hnsw.backend = "faiss-hnsw"  # type: ignore[attr-defined]
_graph_only_hnsw.name = "faiss-hnsw-graph"  # type: ignore[attr-defined]


class _PgVector:
    """A pgvector index on a table of its own in the session's embedded server."""

    backend = "pgvector"

    def __init__(self, name: str, **options: Any) -> None:
        self.name, self.options = name, options

    def __call__(self, dimension: int, url: str) -> PgVectorIndex:
        return PgVectorIndex(dimension, url, f"vectors_{uuid.uuid4().hex[:12]}", **self.options)


# The default chooses the exact plan at this size; the other always takes the HNSW statement.
PGVECTOR_CASES = [_PgVector("pgvector"), _PgVector("pgvector-approximate", exact_limit=0, exact_share=0.0)]
BACKENDS: list[Callable[..., VectorIndex] | _PgVector] = [NumpyIndex, FaissFlatIndex, _exhaustive_ivf,
                                                          FaissHNSWIndex, _graph_only_hnsw, *PGVECTOR_CASES]


def _unit(rows: int, dimension: int = 16, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _case_name(case: Any) -> str:
    return str(getattr(case, "name", None) or case.backend)


@pytest.fixture(params=BACKENDS, ids=_case_name)
def index(request: pytest.FixtureRequest) -> Iterator[VectorIndex]:
    if isinstance(request.param, _PgVector):
        built: VectorIndex = request.param(16, request.getfixturevalue("embedded_postgres").url())
    else:
        built = request.param(16)
    built.build(np.arange(100, 150), _unit(50))
    yield built
    if isinstance(built, PgVectorIndex):
        built.drop_table()


def test_search_finds_the_vector_itself(index: VectorIndex) -> None:
    vectors = _unit(50)
    results = index.search(vectors[[3, 7]], k=5)
    assert [row[0][0] for row in results] == [103, 107]
    assert results[0][0][1] == pytest.approx(1.0, abs=1e-5)
    assert all(len(row) == 5 for row in results)
    scores = [score for _, score in results[0]]
    assert scores == sorted(scores, reverse=True)


def test_add_replaces_and_remove_deletes(index: VectorIndex) -> None:
    replacement = _unit(1, seed=9)
    index.add(np.array([103]), replacement)
    assert len(index) == 50
    assert index.search(replacement, 1)[0][0][0] == 103
    assert index.remove(np.array([103, 104, 999])) == 2
    assert len(index) == 48
    found = {i for i, _ in index.search(_unit(50), 48)[0]}
    assert 103 not in found and 104 not in found


def test_k_larger_than_the_index_and_empty_index(index: VectorIndex) -> None:
    assert len(index.search(_unit(1), 500)[0]) == 50
    index.build(np.array([1]), _unit(1, seed=8))
    index.remove(np.array([1]))
    assert len(index) == 0 and index.search(_unit(1), 3) == [[]]


def test_bad_input_is_refused(index: VectorIndex) -> None:
    with pytest.raises(ValueError, match="dimension"):
        index.add(np.array([1]), _unit(1, dimension=8))
    with pytest.raises(ValueError, match="repeat"):
        index.add(np.array([1, 1]), _unit(2))
    assert len(index) == 50


def test_save_and_load_round_trip(index: VectorIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "ix", {"encoder": "enc-a"})
    loaded = type(index).load(tmp_path / "ix", expected={"encoder": "enc-a", "dimension": 16})
    assert len(loaded) == 50
    queries = _unit(5, seed=3)
    assert loaded.search(queries, 4) == index.search(queries, 4)
    with pytest.raises(IndexMismatch, match="encoder"):
        type(index).load(tmp_path / "ix", expected={"encoder": "enc-b"})
    other = NumpyIndex if type(index) is not NumpyIndex else FaissFlatIndex
    with pytest.raises(IndexMismatch, match="not"):
        other.load(tmp_path / "ix")


@pytest.fixture
def exact_candidate(request: pytest.FixtureRequest) -> Iterator[VectorIndex]:
    """The exact FAISS index, or a pgvector index at a size where it scores every admitted row."""
    if request.param == "pgvector":
        candidate = PGVECTOR_CASES[0](32, request.getfixturevalue("embedded_postgres").url())
        yield candidate
        candidate.drop_table()
    else:
        yield FaissFlatIndex(32)


@pytest.mark.parametrize("exact_candidate", ["faiss-flat", "pgvector"], indirect=True)
def test_exact_backends_agree_with_the_reference(exact_candidate: VectorIndex) -> None:
    vectors, queries = _unit(2000, 32, seed=1), _unit(20, 32, seed=2)
    reference, candidate = NumpyIndex(32), exact_candidate
    for built in (reference, candidate):
        built.build(np.arange(2000), vectors)
        built.remove(np.arange(0, 2000, 7))
    for expected, got in zip(reference.search(queries, 10), candidate.search(queries, 10),
                             strict=True):
        assert [i for i, _ in got] == [i for i, _ in expected]
        assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)


def test_allowed_ids_filter_holds_during_the_search(index: VectorIndex) -> None:
    vectors = _unit(50)
    allowed = np.array([120, 130, 140, 149])
    results = index.search(vectors[[3]], k=3, allowed_ids=allowed)[0]
    assert len(results) == 3 and {i for i, _ in results} <= set(allowed.tolist())
    # The filter is not applied after cutting the top k: a far vector still comes back.
    assert index.search(vectors[[3]], k=10, allowed_ids=np.array([149]))[0][0][0] == 149
    assert index.search(vectors[[3]], k=3, allowed_ids=np.array([], dtype=np.int64)) == [[]]


@pytest.mark.parametrize("exact_candidate", ["faiss-flat", "pgvector"], indirect=True)
def test_exact_filtered_search_agrees_with_the_reference(exact_candidate: VectorIndex) -> None:
    vectors, queries = _unit(3000, 32, seed=4), _unit(10, 32, seed=5)
    allowed = np.arange(0, 3000, 3)
    reference, candidate = NumpyIndex(32), exact_candidate
    for built in (reference, candidate):
        built.build(np.arange(3000), vectors)
    for expected, got in zip(reference.search(queries, 8, allowed), candidate.search(queries, 8, allowed),
                             strict=True):
        assert [i for i, _ in got] == [i for i, _ in expected]


def test_ivf_reaches_exact_results_when_probing_every_list() -> None:
    vectors, queries = _unit(2000, 32, seed=1), _unit(20, 32, seed=2)
    reference, candidate = NumpyIndex(32), FaissIVFIndex(32, nlist=16, nprobe=16)
    for built in (reference, candidate):
        built.build(np.arange(2000), vectors)
    for expected, got in zip(reference.search(queries, 10), candidate.search(queries, 10), strict=True):
        assert [i for i, _ in got] == [i for i, _ in expected]


def _recall_at_10(expected: list[list[tuple[int, float]]], got: list[list[tuple[int, float]]]) -> float:
    return float(np.mean([len({i for i, _ in e} & {i for i, _ in g}) / len(e)
                          for e, g in zip(expected, got, strict=True)]))


@pytest.mark.parametrize("ids", [np.arange(3000), np.arange(3000) * 10**12 - 5], ids=["dense", "sparse"])
def test_hnsw_walk_finds_the_reference_neighbours_without_removed_ids(ids: np.ndarray) -> None:
    vectors, queries = _unit(3000, 32, seed=1), _unit(30, 32, seed=2)
    reference, candidate = NumpyIndex(32), FaissHNSWIndex(32, exact_cost_ratio=0.0)
    for built in (reference, candidate):
        built.build(ids, vectors)
        built.remove(ids[::7])
        built.add(ids[:3], _unit(3, 32, seed=3))
    assert len(candidate) == len(reference) == 3000 - len(ids[::7]) + 1
    removed = set(ids[7::7].tolist())
    got = candidate.search(queries, 10)
    assert not removed & {i for row in got for i, _ in row}
    assert _recall_at_10(reference.search(queries, 10), got) >= 0.95
    allowed = ids[::3]
    filtered = candidate.search(queries, 10, allowed)
    assert {i for row in filtered for i, _ in row} <= set(allowed.tolist()) - removed
    assert _recall_at_10(reference.search(queries, 10, allowed), filtered) >= 0.95


def test_hnsw_scores_every_admitted_vector_when_few_are_admitted() -> None:
    vectors, queries = _unit(3000, 32, seed=4), _unit(10, 32, seed=5)
    reference, candidate = NumpyIndex(32), FaissHNSWIndex(32, ef_search=16)
    for built in (reference, candidate):
        built.build(np.arange(3000), vectors)
    few, many = np.arange(0, 3000, 100), np.arange(0, 3000, 2)
    assert not candidate.uses_the_graph(len(few)) and candidate.uses_the_graph(len(many))
    # Exact over the 30 admitted vectors: the same ids, in the same order, as the reference.
    expected_rows, got_rows = reference.search(queries, 8, few), candidate.search(queries, 8, few)
    for expected, got in zip(expected_rows, got_rows, strict=True):
        assert [i for i, _ in got] == [i for i, _ in expected]
        assert np.allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)


def test_hnsw_rebuilds_its_graph_once_dead_nodes_outnumber_live_ones(tmp_path: Path) -> None:
    vectors, queries = _unit(400, 16, seed=6), _unit(5, 16, seed=7)
    index = FaissHNSWIndex(16, exact_cost_ratio=0.0)
    index.build(np.arange(400), vectors)
    index.remove(np.arange(150))
    index.save(tmp_path / "ix")
    loaded = FaissHNSWIndex.load(tmp_path / "ix")
    assert len(loaded) == 250 and loaded.search(queries, 5) == index.search(queries, 5)
    assert json.loads((tmp_path / "ix" / "manifest.json").read_text())["dead_nodes"] == 150
    index.remove(np.arange(150, 300))
    assert len(index) == 100
    assert json.loads(_saved_manifest(index, tmp_path / "compacted"))["dead_nodes"] == 0
    assert {i for row in index.search(queries, 100) for i, _ in row} == set(range(300, 400))


def _saved_manifest(index: VectorIndex, directory: Path) -> str:
    index.save(directory)
    return (directory / "manifest.json").read_text()
