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


def test_every_parallel_set_is_complete() -> None:
    """Each set `benchmark-matching` reads: every statement in every language, and each
    statement's category has expertise texts to be found by."""
    files = sorted(PARALLEL.parent.glob("parallel_needs*.json"))
    assert len(files) >= 2
    for path in files:
        parallel = json.loads(path.read_text())
        expertise = {item["category"] for item in parallel["expertise"]}
        ids = [statement["id"] for statement in parallel["statements"]]
        assert len(ids) == len(set(ids)), path.name
        for statement in parallel["statements"]:
            assert statement["category"] in expertise, (path.name, statement["id"])
            for language in ["en", *parallel["languages"]]:
                assert statement[language].strip(), (path.name, statement["id"], language)
