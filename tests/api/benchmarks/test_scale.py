"""The vector-search benchmark's filtered measurements on a small index."""

from __future__ import annotations

import numpy as np

from api.benchmarks.scale import _filters, benchmark_size, clustered_vectors, format_scale


def test_filters_admit_the_share_asked_for() -> None:
    base = clustered_vectors(5000, 32)
    for name, allowed in _filters(base, (0.1, 0.02)):
        share = 0.1 if name.startswith("10.0%") else 0.02
        assert allowed.size == int(5000 * share) and np.unique(allowed).size == allowed.size


def test_filtered_search_is_reported_beside_exact_truth() -> None:
    result = benchmark_size(3000, dimension=32, queries=20, nprobes=(4,), filter_shares=(0.05,))
    assert [row["filter"] for row in result["filtered"]] == ["5.0% random", "5.0% clustered"]
    for row in result["filtered"]:
        assert row["admitted"] == 150 and 0.0 <= row["ivf_recall@10"] <= 1.0
    assert "filter admitting 5.0% clustered (150)" in format_scale(result)
