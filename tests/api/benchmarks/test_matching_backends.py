"""The matching benchmarks on the pgvector responder index: the judged set's figures and the
latency comparison report both paths, and agree where both score every eligible responder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from api.benchmarks.matching import evaluate_matching
from api.benchmarks.matching_backends import benchmark_matching_backends, format_matching_backends

pytestmark = pytest.mark.slow  # an embedded PostgreSQL

MATCHING = Path(__file__).resolve().parents[3] / "training" / "data" / "matching"


def _rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (MATCHING / name).open()]


def test_the_judged_set_scores_the_same_on_pgvector(embedded_postgres: Any, shipped_pipeline: Any) -> None:
    needs = _rows("needs.jsonl")[:15]
    qrels = {row["need_id"]: row["relevance"] for row in _rows("qrels.jsonl")}
    report = evaluate_matching(shipped_pipeline, _rows("responders.jsonl"), needs, qrels,
                               pgvector_url=embedded_postgres.url())
    assert report["needmatch-pgvector"] == report["needmatch"]
    assert report["needmatch"]["ndcg@5"] > report["bm25-only"]["ndcg@5"]


def test_the_latency_comparison_reports_both_paths(embedded_postgres: Any) -> None:
    result = benchmark_matching_backends(responders=400, needs=8, url=embedded_postgres.url())
    # Few eligible responders per need: every path scores all of them, so all agree.
    for name in ("memory", "pgvector", "pgvector_hnsw"):
        assert result[name]["agreement"] == result[name]["agreement_per_category"] == 1.0
        assert result[name]["match_p95_ms"] >= result[name]["match_p50_ms"] > 0
    assert result["pgvector"]["table_bytes"] > 0 and result["memory"]["process_bytes"] > 0
    printed = format_matching_backends(result)
    assert printed.count("same five as in-process 100%") == 3 and "none per process" in printed
