"""Speed of classification, measured against the encoder pass it cannot avoid."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from nlp.classify import NeedClassificationPipeline


def _timed(function: Callable[[], Any], repeats: int) -> list[float]:
    function()  # warm-up: first calls allocate and fill caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def benchmark_classification(
    pipeline: NeedClassificationPipeline, text: str, repeats: int = 20, batch_size: int = 32
) -> dict[str, Any]:
    """Median milliseconds of each stage for one narrative, and batch throughput."""
    document_encoder = pipeline.document_encoder
    classifier = pipeline.classifier
    sentences = document_encoder.splitter.split(text)
    sentence_texts = [sentence.text for sentence in sentences]
    encoded = document_encoder.encode_batch([text])
    results: dict[str, Any] = {
        "words": len(text.split()),
        "sentences": len(sentences),
        "encoder_tokens": document_encoder.encoder.count_tokens(sentence_texts),
    }
    stages = {
        "encoder_pass": lambda: document_encoder.encoder.encode(sentence_texts),
        "classify": lambda: pipeline.classify(text),
        "sentence_split": lambda: document_encoder.splitter.split(text),
        "features_and_models": lambda: classifier.probabilities(encoded, [text]),
        "features_models_evidence": lambda: classifier.classify_encoded(encoded, [text]),
    }
    for name, function in stages.items():
        results[f"{name}_ms"] = statistics.median(_timed(function, repeats))
    results["classify_over_encoder"] = results["classify_ms"] / results["encoder_pass_ms"]
    results["encoder_tokens_per_second"] = results["encoder_tokens"] / (
        results["encoder_pass_ms"] / 1000
    )
    batch = [text] * batch_size
    batch_times = _timed(lambda: pipeline.classify_batch(batch), max(2, repeats // 5))
    results["batch_size"] = batch_size
    results["batch_narratives_per_second"] = batch_size / (statistics.median(batch_times) / 1000)
    return results


def format_benchmark(results: dict[str, Any]) -> str:
    """Readable lines with the ratio first."""
    return "\n".join(
        [
            f"narrative: {results['words']} words, {results['sentences']} sentences, "
            f"{results['encoder_tokens']} word pieces",
            f"encoder pass over its sentences: {results['encoder_pass_ms']:.1f} ms median "
            f"({results['encoder_tokens_per_second']:.0f} word pieces/s)",
            f"classify (split + encode + features + models + evidence): "
            f"{results['classify_ms']:.1f} ms median",
            f"ratio classify / encoder pass: {results['classify_over_encoder']:.3f}",
            f"  sentence split: {results['sentence_split_ms']:.1f} ms",
            f"  features + per-label models: {results['features_and_models_ms']:.1f} ms",
            f"  features + models + evidence: {results['features_models_evidence_ms']:.1f} ms",
            f"batch of {results['batch_size']}: "
            f"{results['batch_narratives_per_second']:.2f} narratives/s",
        ]
    )
