"""pgvector at 20,000 rows: what PostgreSQL actually runs, and the recall a filter keeps.

Every executed plan is read back from the server log (auto_explain in a database of this
module's own), so the checks see the plan of each execution, including any generic plan
chosen after the fifth execution of a prepared statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from api.benchmarks.scale import clustered_vectors
from index.numpy_index import NumpyIndex
from index.pgvector_index import PgVectorIndex, _vector_literal

pytestmark = pytest.mark.slow

ROWS, DIMENSION, K = 20_000, 384, 10
TABLE = "plan_vectors"
HNSW_SCAN = f"Index Scan using {TABLE}_embedding_hnsw"


@pytest.fixture(scope="module")
def vectors() -> tuple[np.ndarray, np.ndarray]:
    """Clustered unit vectors like sentence embeddings: the rows, and 40 queries."""
    data = clustered_vectors(ROWS + 40, DIMENSION, seed=3)
    return data[:ROWS], data[ROWS:]


@pytest.fixture(scope="module")
def logged_url(embedded_postgres: Any) -> str:
    """A database whose sessions log the plan of every statement they execute."""
    return str(embedded_postgres.create_database(f"plans_{uuid.uuid4().hex[:8]}", {
        "session_preload_libraries": "auto_explain",
        "auto_explain.log_min_duration": "0",
        "auto_explain.log_parameter_max_length": "0",
    }))


@pytest.fixture(scope="module")
def index(logged_url: str, vectors: tuple[np.ndarray, np.ndarray]) -> Iterator[PgVectorIndex]:
    built = PgVectorIndex(DIMENSION, logged_url, TABLE)
    built.build(np.arange(ROWS), vectors[0])
    yield built
    built.drop_table()


@pytest.fixture(scope="module")
def reference(vectors: tuple[np.ndarray, np.ndarray]) -> NumpyIndex:
    exact = NumpyIndex(DIMENSION)
    exact.build(np.arange(ROWS), vectors[0])
    return exact


def _allowed(share: float, seed: int = 0) -> np.ndarray:
    chosen = np.random.default_rng(seed).choice(ROWS, int(ROWS * share), replace=False)
    return np.sort(chosen).astype(np.int64)


def _search_plans(server: Any, since: int) -> list[str]:
    """The plans the server logged for search statements since a byte offset of its log."""
    logged = server.log_path.read_bytes()[since:].decode()
    return [entry for entry in logged.split("duration: ")[1:] if f'AS distance FROM "{TABLE}"' in entry]


def test_a_filtered_search_uses_the_hnsw_index_on_every_execution(
        index: PgVectorIndex, vectors: tuple[np.ndarray, np.ndarray], embedded_postgres: Any) -> None:
    # Half the rows: at this size PostgreSQL fetches smaller shares by primary key (exact) instead.
    allowed = _allowed(0.5)
    assert HNSW_SCAN in index.explain(vectors[1][0], K, allowed)
    since = embedded_postgres.log_path.stat().st_size
    for query in vectors[1][:12]:
        assert len(index.search(query, K, allowed)[0]) == K
    plans = _search_plans(embedded_postgres, since)
    assert len(plans) == 12
    assert all(HNSW_SCAN in plan for plan in plans), [plan for plan in plans if HNSW_SCAN not in plan][0]


def test_the_generic_plan_trap_is_real_without_the_guards(
        index: PgVectorIndex, logged_url: str, vectors: tuple[np.ndarray, np.ndarray],
        embedded_postgres: Any) -> None:
    """The same statement through psycopg's defaults (prepared after 5 runs) goes generic and
    leaves the HNSW index: what the index's own settings prevent."""
    import psycopg

    statement = index._statement(exact=False, filtered=True)
    allowed = _allowed(0.5).tolist()
    since = embedded_postgres.log_path.stat().st_size
    with psycopg.connect(logged_url, autocommit=True) as connection:
        connection.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', false)")
        for query in vectors[1][:12]:
            connection.execute(statement, {"query": _vector_literal(query), "allowed": allowed, "k": K})
        generic = connection.execute("SELECT sum(generic_plans) FROM pg_prepared_statements").fetchone()
    plans = _search_plans(embedded_postgres, since)
    assert generic is not None and generic[0] > 0
    assert HNSW_SCAN in plans[0] and HNSW_SCAN not in plans[-1]


def test_a_tiny_allowed_set_is_scored_exactly(
        index: PgVectorIndex, reference: NumpyIndex, vectors: tuple[np.ndarray, np.ndarray]) -> None:
    allowed = _allowed(0.0025, seed=1)
    plan = index.explain(vectors[1][0], K, allowed)
    assert "hnsw" not in plan and f"{TABLE}_pkey" in plan
    queries = vectors[1][:10]
    for expected, found in zip(reference.search(queries, K, allowed), index.search(queries, K, allowed),
                               strict=True):
        assert [i for i, _ in found] == [i for i, _ in expected]


@pytest.mark.parametrize(("share", "plan"), [(0.1, f"{TABLE}_pkey"), (0.5, HNSW_SCAN)])
def test_a_filter_keeps_recall_at_10(index: PgVectorIndex, reference: NumpyIndex,
                                     vectors: tuple[np.ndarray, np.ndarray], share: float, plan: str) -> None:
    """At this size PostgreSQL fetches a 10 % filter's rows by primary key and walks the graph
    for 50 %: either way recall@10 holds."""
    allowed = _allowed(share, seed=2)
    assert plan in index.explain(vectors[1][0], K, allowed)
    queries = vectors[1]
    truth, found = reference.search(queries, K, allowed), index.search(queries, K, allowed)
    recall = np.mean([len({i for i, _ in expected} & {i for i, _ in got}) / K
                      for expected, got in zip(truth, found, strict=True)])
    assert recall >= 0.95
    assert all({i for i, _ in row} <= set(allowed.tolist()) for row in found)
