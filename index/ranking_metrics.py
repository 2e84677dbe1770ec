"""Ranking metrics with graded relevance (2 ideal, 1 acceptable, 0 otherwise)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with exponential gain."""
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int) -> float:
    """nDCG@k of a ranked list of ids (1.0 when nothing is relevant and nothing is returned)."""
    ideal = dcg(sorted(relevance.values(), reverse=True)[:k])
    if ideal == 0:
        return 1.0 if not ranked else 0.0
    return dcg([relevance.get(item, 0) for item in ranked[:k]]) / ideal


def ideal_in_top(ranked: Sequence[str], relevance: Mapping[str, int], k: int) -> float:
    """1.0 when an ideal (grade 2) item is among the first k."""
    return 1.0 if any(relevance.get(item, 0) == 2 for item in ranked[:k]) else 0.0


def recall_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int) -> float:
    """Share of relevant (grade >= 1) items among the first k."""
    relevant = {item for item, grade in relevance.items() if grade > 0}
    if not relevant:
        return 1.0
    return len(relevant & set(ranked[:k])) / len(relevant)
