"""Plain-language search over open, redacted needs: BM25 and dense retrieval fused, with boosts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from index.query_understanding import QueryConstraints, place_matches, understand
from nlp.encoding import EncodedText
from nlp.folding import fold

# Fusion weights (normalised lexical and dense scores) and boosts for what the query names.
LEXICAL_WEIGHT, DENSE_WEIGHT = 0.4, 0.6
CATEGORY_BOOST, PLACE_BOOST, LANGUAGE_BOOST = 0.35, 0.35, 0.2
_STOPWORDS = "en"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchableNeed:
    """An open need as search sees it (redacted text only)."""

    id: str
    text: str
    labels: Sequence[str]
    jurisdiction: str
    language: str
    encoded: EncodedText


@dataclass(frozen=True)
class SearchResult:
    """One matching need with its score and a snippet of why."""

    need_id: str
    score: float
    snippet: str
    parts: dict[str, float]


def _tokenize(texts: Sequence[str]) -> list[list[str]]:
    return [[token for token in _WORD.findall(fold(text)) if len(token) > 1] for text in texts]


def highlight(sentence: str, query: str) -> str:
    """The sentence with query words (4+ letters, accent-insensitive) wrapped in ** **."""
    words = {token for token in _WORD.findall(fold(query)) if len(token) >= 4}
    def mark(match: re.Match[str]) -> str:
        return f"**{match.group(0)}**" if fold(match.group(0)) in words else match.group(0)
    return _WORD.sub(mark, sentence)


class NeedSearchIndex:
    """Hybrid retrieval over a fixed set of needs (rebuilt when the open needs change)."""

    def __init__(self, needs: Sequence[SearchableNeed]) -> None:
        self.needs = list(needs)
        self._bm25 = bm25s.BM25()
        if self.needs:
            self._bm25.index(_tokenize([need.text for need in self.needs]), show_progress=False)
            # Every need's sentence vectors in one matrix: a query is one product, then the best
            # sentence of each need (its rows start at _starts).
            self._sentences = np.vstack([need.encoded.sentence_vectors for need in self.needs])
            counts = [len(need.encoded.sentence_vectors) for need in self.needs]
            self._starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)

    def search(
        self, query: str, query_vector: np.ndarray, query_categories: Mapping[str, float],
        k: int = 10, mode: str = "hybrid",
    ) -> list[SearchResult]:
        """Top k needs for a query; mode 'hybrid', 'lexical' or 'dense' (the last two: baselines)."""
        if not self.needs:
            return []
        count = len(self.needs)
        lexical = np.zeros(count, dtype=np.float32)
        tokens = _tokenize([query])[0]
        if tokens:
            documents, scores = self._bm25.retrieve([tokens], k=count, show_progress=False)
            lexical[documents[0]] = scores[0]
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        similarities = self._sentences @ query_vector
        dense = np.maximum.reduceat(similarities, self._starts)
        best_sentence = [int(similarities[start:end].argmax()) for start, end in
                         zip(self._starts, [*self._starts[1:], len(similarities)], strict=True)]
        constraints: QueryConstraints = understand(query)
        results = []
        for position, need in enumerate(self.needs):
            parts = {"lexical": LEXICAL_WEIGHT * float(lexical[position]),
                     "dense": DENSE_WEIGHT * max(float(dense[position]), 0.0)}
            if mode == "hybrid":
                parts["category"] = CATEGORY_BOOST * max(
                    (query_categories.get(label, 0.0) for label in need.labels), default=0.0)
                if constraints.places:
                    parts["place"] = PLACE_BOOST * place_matches(need.jurisdiction,
                                                                 constraints.places)
                if constraints.languages:
                    parts["language"] = LANGUAGE_BOOST * (need.language in constraints.languages)
                score = sum(parts.values())
            elif mode == "lexical":
                score = float(lexical[position])
            else:
                score = float(dense[position])
            sentence = need.encoded.sentences[best_sentence[position]].text
            results.append(SearchResult(need.id, round(score, 4), highlight(sentence, query),
                                        {name: round(value, 4) for name, value in parts.items()}))
        results.sort(key=lambda result: (-result.score, result.need_id))
        return results[:k]
