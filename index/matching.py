"""From a need to the responders who can take it: filters first, then an explained score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.eligibility import eligible_categories
from index.responder_index import ResponderEntry, ResponderSearch
from nlp.encoding import EncodedText

# The blend of the score, chosen once by reasoning and kept fixed (see README: matching).
WEIGHTS = {"semantic": 0.40, "category": 0.45, "fit": 0.15}
STAGE_TWO = 100  # responders rescored exactly (best sentence pair, fit)
# How many of the most similar eligible profiles stage one first asks an index for that cannot
# score every eligible responder cheaply (pgvector past EXACT_ROWS); it asks for WIDEN times more
# while a responder left out could still beat the STAGE_TWO-th, and past STAGE_ONE_MOST for all.
STAGE_ONE = 4 * STAGE_TWO
WIDEN = 4
STAGE_ONE_MOST = WIDEN * WIDEN * STAGE_ONE
COVERAGE_MARGIN = 0.05  # how much score a responder for a not-yet-covered need may be behind


@dataclass(frozen=True)
class NeedQuery:
    """A need as matching sees it: its sentences' vectors, categories, place and the languages
    the survivor speaks (the narrative's language when the advocate named none)."""

    encoded: EncodedText
    category_scores: Mapping[str, float]
    labels: Sequence[str]
    jurisdiction: str
    languages: tuple[str, ...]

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


def _stage_one(index: ResponderSearch, need: NeedQuery) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eligible keys (the filters hold here, before any cut), a cheap score for each and their
    profile similarity.

    An index may answer with the most similar eligible profiles only. Anyone it left out is no
    more similar than the last of them and scores at most the full category part, so when the
    STAGE_TWO-th cheap score already reaches that, nobody left out can enter stage two; else
    more are asked for.
    """
    categories = need.categories()
    vector = need.encoded.pooled()[: index.dimension]
    weights = np.array([need.category_scores.get(c, 0.0) for c in categories], dtype=np.float32)
    total = float(weights.sum()) or 1.0
    limit: int | None = STAGE_ONE
    while True:
        found = index.candidates(vector, need.jurisdiction, need.languages, categories, limit)
        if found.keys.size == 0:
            return found.keys, np.zeros(0, dtype=np.float32), found.similarity
        category = np.zeros(found.keys.size, dtype=np.float32)
        for column, weight in enumerate(weights):
            category += weight * found.strength[:, column]
        cheap = (WEIGHTS["semantic"] * np.maximum(found.similarity, 0)
                 + WEIGHTS["category"] * category / total)
        if found.complete or limit is None or found.keys.size < STAGE_TWO:
            return found.keys, cheap, found.similarity
        best_left_out = (WEIGHTS["semantic"] * max(float(found.similarity.min()), 0.0)
                         + WEIGHTS["category"] * float(weights[weights > 0].sum()) / total)
        if np.partition(-cheap, STAGE_TWO - 1)[STAGE_TWO - 1] <= -best_left_out:
            return found.keys, cheap, found.similarity
        limit = limit * WIDEN if limit < STAGE_ONE_MOST else None


def _best(cheap: np.ndarray, similarity: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` best cheap scores. Equal scores at the cut (every profile at or
    below zero similarity scores its category part alone) go to the more similar profile, so the
    cut does not depend on the order a backend lists its candidates in."""
    kth = np.partition(-cheap, count - 1)[count - 1]
    above = np.flatnonzero(-cheap < kth)
    tied = np.flatnonzero(-cheap == kth)
    tied = tied[np.argsort(-similarity[tied], kind="stable")][: count - above.size]
    return np.concatenate([above, tied])


def match_need(index: ResponderSearch, need: NeedQuery, k: int = 5) -> list[Suggestion]:
    """The k best eligible responders, each with an explanation.

    Stage one asks the index for the eligible responders (the in-memory index gives all of them,
    pgvector the STAGE_ONE with the most similar profiles) and scores them cheaply (profile
    vector, category strength); stage two rescores the best STAGE_TWO of them exactly (best
    sentence pair, fit); the top k are explained.
    """
    keys, cheap, similarity = _stage_one(index, need)
    if keys.size == 0:
        return []
    if keys.size > STAGE_TWO:
        keys = keys[_best(cheap, similarity, STAGE_TWO)]
    details = index.details(keys.tolist())
    need_vectors = need.encoded.sentence_vectors
    categories = need.categories()
    weight_total = sum(need.category_scores.get(c, 0.0) for c in categories) or 1.0
    scored = []
    for key in keys.tolist():
        entry, vectors = details[key]
        allowed = eligible_categories(
            need.jurisdiction, need.languages, categories, entry.practised,
            entry.jurisdictions, entry.languages, entry.capacity,
        )
        similarity = need_vectors @ vectors.T  # need x (profile, sentences)
        category = sum(
            need.category_scores.get(c, 0.0) * entry.category_strength.get(c, 0.0) for c in allowed
        ) / weight_total
        speaks = any(code in entry.languages for code in need.languages)
        fit = sum(fit_.strength for fit_, _ in allowed.values()) / len(allowed)
        parts = {
            "semantic": WEIGHTS["semantic"] * max(float(similarity.max()), 0.0),
            "category": WEIGHTS["category"] * category,
            "fit": WEIGHTS["fit"] * fit * (1.0 if speaks else 0.6),
        }
        scored.append((round(sum(parts.values()), 3), entry.last_referral, entry.id, entry,
                       allowed, similarity, parts))
    # Equal scores (to 3 decimals): the responder longest without a referral comes first.
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [_explain(need, *item) for item in _cover_categories(scored, k)]


def _cover_categories(scored: list[Any], k: int) -> list[Any]:
    """Pick k in score order, but let a responder for a category no earlier pick covers jump
    ahead of one within COVERAGE_MARGIN of its score: a survivor with several needs should see
    help for each of them, not five lawyers for the first."""
    chosen: list[Any] = []
    covered: set[str] = set()
    remaining = list(scored)
    while remaining and len(chosen) < k:
        best = remaining[0]
        for candidate in remaining[1:]:
            if candidate[0] < best[0] - COVERAGE_MARGIN:
                break
            if set(candidate[4]) - covered and not set(best[4]) - covered:
                best = candidate
                break
        chosen.append(best)
        covered |= set(best[4])
        remaining.remove(best)
    return chosen


def _explain(
    need: NeedQuery, score: float, _last: float, responder_id: str, entry: ResponderEntry,
    allowed: dict[str, Any], similarity: np.ndarray, parts: dict[str, float],
) -> Suggestion:
    """The explanation of one suggestion: best sentence pair, categories, place, language, parts."""
    need_row, responder_column = np.unravel_index(int(similarity.argmax()), similarity.shape)
    need_sentence = need.encoded.sentences[int(need_row)]
    speaks = any(code in entry.languages for code in need.languages)
    return Suggestion(
        responder_id=responder_id,
        score=score,
        explanation={
            "need_sentence": {"text": need_sentence.text, "start": need_sentence.start,
                              "end": need_sentence.end},
            "expertise_sentence": "(whole profile)" if responder_column == 0
            else entry.sentences[int(responder_column) - 1],
            "similarity": round(max(float(similarity.max()), 0.0), 4),
            "categories_in_common": sorted(allowed),
            "categories_declared": entry.declared,
            "jurisdiction": {c: fit.reason for c, (fit, _) in allowed.items()},
            "language": next(iter(allowed.values()))[1] if speaks
            else f"does not speak {' or '.join(need.languages)}; interpreter work only",
            "capacity": entry.capacity,
            "score_parts": {name: round(value, 4) for name, value in parts.items()},
        },
    )


# The eligibility rules in the order they are applied, with the reason when one leaves nobody.
_EXCLUSION_REASONS = (("practise", "nobody_practises"), ("practise_here", "nobody_licensed_here"),
                      ("speak", "nobody_speaks"), ("with_capacity", "all_at_capacity"))


def why_no_match(index: ResponderSearch, jurisdiction: str, languages: Sequence[str],
                 categories: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per category, the responders left after each eligibility rule and the first rule that
    left nobody (None when someone is eligible)."""
    report: dict[str, dict[str, Any]] = {}
    for category, counts in index.exclusions(jurisdiction, languages, categories).items():
        reason = next((code for stage, code in _EXCLUSION_REASONS if counts[stage] == 0), None)
        report[category] = {**counts, "reason": reason}
    return report
