"""The vector-search benchmark's measurements on a small index, every FAISS backend beside exact."""

from __future__ import annotations

import numpy as np

from api.benchmarks.scale import _filters, benchmark_size, clustered_vectors, format_scale


def test_filters_admit_the_share_asked_for() -> None:
    base = clustered_vectors(5000, 32)
    for name, allowed in _filters(base, (0.1, 0.02)):
        share = 0.1 if name.startswith("10.0%") else 0.02
        assert allowed.size == int(5000 * share) and np.unique(allowed).size == allowed.size


def test_every_backend_is_reported_beside_exact_truth_unfiltered_and_filtered() -> None:
    result = benchmark_size(3000, dimension=32, queries=20, nprobes=(4,), filter_shares=(0.05,),
                            backends=("exact", "ivf", "hnsw"), hnsw_ef_searches=(16, 64))
    assert [row["filter"] for row in result["filters"]] == ["5.0% random", "5.0% clustered"]
    assert [entry["backend"] for entry in result["backends"]] == ["exact", "IVF", "HNSW"]
    for entry in result["backends"]:
        assert entry["build_s"] >= 0 and entry["bytes"] >= 3000 * 32 * 4
        assert len(entry["filtered"]) == 2
        for row in entry["unfiltered"] + [row for rows in entry["filtered"] for row in rows]:
            assert 0.0 <= row["recall@10"] <= 1.0 and row["p95_ms"] >= row["p50_ms"] > 0
    exact, _, hnsw = result["backends"]
    assert [row["recall@10"] for rows in exact["filtered"] for row in rows] == [1.0, 1.0]
    # 150 admitted vectors are scored one by one: exact, so the first setting is the only one.
    assert [[row["path"] for row in rows] for rows in hnsw["filtered"]] == [["exact"], ["exact"]]
    assert [row["recall@10"] for rows in hnsw["filtered"] for row in rows] == [1.0, 1.0]
    printed = format_scale(result)
    assert "5.0% clustered (150)" in printed and "HNSW     unfiltered" in printed
    assert printed.count("p95 ms") == 2
