"""From a need to the responders who can take it: filters first, then an explained score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.eligibility import eligible_categories
from index.responder_index import ResponderIndex
from nlp.classify import EncodedText

# The blend of the score, chosen once by reasoning and kept fixed (see README: matching).
WEIGHTS = {"semantic": 0.40, "category": 0.45, "fit": 0.15}
DENSE_CANDIDATES = 256  # vectors fetched per need sentence before exact rescoring


@dataclass(frozen=True)
class NeedQuery:
    """A need as matching sees it: its sentences' vectors, categories and where/what language."""

    encoded: EncodedText
    category_scores: Mapping[str, float]
    labels: Sequence[str]
    jurisdiction: str
    language: str

    def categories(self) -> list[str]:
        """The predicted labels, or the two likeliest categories when none passed its threshold."""
        if self.labels:
            return list(self.labels)
        ranked = sorted(self.category_scores, key=lambda c: -self.category_scores[c])
        return ranked[:2]


@dataclass(frozen=True)
class Suggestion:
    """One suggested responder with its score and explanation."""

    responder_id: str
    score: float
    explanation: dict[str, Any]


def _candidates(index: ResponderIndex, need: NeedQuery) -> dict[int, dict[str, Any]]:
    """Responders that pass every filter, with the categories each may take and why."""
    categories = need.categories()
    eligible: dict[int, dict[str, Any]] = {}
    for key in index.prefilter(need.jurisdiction, need.language, categories):
        entry = index.entries[key]
        allowed = eligible_categories(
            need.jurisdiction, need.language, categories, entry.practised,
            entry.jurisdictions, entry.languages, entry.capacity,
        )
        if allowed:
            eligible[key] = allowed
    return eligible


def match_need(index: ResponderIndex, need: NeedQuery, k: int = 5) -> list[Suggestion]:
    """The k best eligible responders, each with an explanation."""
    eligible = _candidates(index, need)
    if not eligible:
        return []
    need_vectors = need.encoded.sentence_vectors
    # Dense retrieval restricted to eligible responders (the filter holds inside the search),
    # plus every eligible responder when they are few; exact rescoring follows.
    keys = set(eligible)
    if len(eligible) > DENSE_CANDIDATES:
        hits = index.vectors.search(need_vectors, DENSE_CANDIDATES, index.vector_keys(eligible))
        keys = {vector_key // 64 for row in hits for vector_key, _ in row}
        by_category = sorted(eligible, key=lambda key: -len(eligible[key]))[:DENSE_CANDIDATES]
        keys |= set(by_category)
    categories = need.categories()
    weight_total = sum(need.category_scores.get(c, 0.0) for c in categories) or 1.0
    suggestions = []
    for key in keys:
        entry = index.entries[key]
        vectors = index.responder_vectors(key)
        similarity = need_vectors @ vectors.T  # need sentences x (profile, sentences)
        need_row, responder_column = np.unravel_index(int(similarity.argmax()), similarity.shape)
        semantic = max(float(similarity.max()), 0.0)
        allowed = eligible[key]
        category = sum(
            need.category_scores.get(c, 0.0) * entry.category_strength.get(c, 0.0) for c in allowed
        ) / weight_total
        strengths = [fit.strength for fit, _ in allowed.values()]
        speaks = need.language in entry.languages
        fit = float(np.mean(strengths)) * (1.0 if speaks else 0.6)
        parts = {
            "semantic": WEIGHTS["semantic"] * semantic,
            "category": WEIGHTS["category"] * category,
            "fit": WEIGHTS["fit"] * fit,
        }
        need_sentence = need.encoded.sentences[int(need_row)]
        expertise = ("(whole profile)" if responder_column == 0
                     else entry.sentences[int(responder_column) - 1])
        suggestions.append(
            (
                Suggestion(
                    responder_id=entry.id,
                    score=round(sum(parts.values()), 3),
                    explanation={
                        "need_sentence": {"text": need_sentence.text, "start": need_sentence.start,
                                          "end": need_sentence.end},
                        "expertise_sentence": expertise,
                        "similarity": round(semantic, 4),
                        "categories_in_common": sorted(allowed),
                        "categories_declared": entry.declared,
                        "jurisdiction": {c: fit_.reason for c, (fit_, _) in allowed.items()},
                        "language": next(iter(allowed.values()))[1] if speaks
                        else f"does not speak {need.language}; interpreter work only",
                        "capacity": entry.capacity,
                        "score_parts": {name: round(value, 4) for name, value in parts.items()},
                    },
                ),
                entry.last_referral,
            )
        )
    # Equal scores (to 3 decimals): the responder longest without a referral comes first.
    suggestions.sort(key=lambda item: (-item[0].score, item[1], item[0].responder_id))
    return [suggestion for suggestion, _ in suggestions[:k]]
