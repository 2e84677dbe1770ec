"""Matching by language: the same needs, translated, against English expertise."""

from __future__ import annotations

import json
from pathlib import Path

from api.benchmarks.matching import evaluate_matching_by_language

PARALLEL = Path(__file__).resolve().parents[3] / "training" / "data" / "encoders" / "parallel_needs.json"


def test_each_language_is_scored_on_the_same_needs(shipped_pipeline) -> None:  # type: ignore[no-untyped-def]
    parallel = json.loads(PARALLEL.read_text())
    small = {**parallel, "languages": ["es", "zh"], "statements": parallel["statements"][:8]}
    report = evaluate_matching_by_language(shipped_pipeline, small)
    assert list(report) == ["en", "es", "zh"]
    for metrics in report.values():
        assert 0.0 <= metrics["ndcg@5"] <= 1.0
    # A responder of the need's category is found for most of them, in each language.
    assert min(metrics["ideal_in_top_3"] for metrics in report.values()) >= 0.5
