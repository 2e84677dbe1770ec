"""Plain-language search over open, redacted needs: BM25 and dense retrieval fused, with boosts."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from index.query_understanding import QueryConstraints, place_matches, understand
from nlp.encoding import EncodedText
from nlp.folding import fold

# Fusion weights (normalised lexical and dense scores) and boosts for what the query names.
LEXICAL_WEIGHT, DENSE_WEIGHT = 0.4, 0.6
CATEGORY_BOOST, PLACE_BOOST, LANGUAGE_BOOST = 0.35, 0.35, 0.2
# The relevance floor. A multilingual encoder finds any two texts somewhat alike (cosine about
# 0.75 between unrelated sentences), and the classifier gives even "xyzzy" a category, so neither
# alone says "relevant". A query's baseline is its mean similarity to BACKGROUND, sentences about
# nothing legal in several languages and scripts; a need is a result only if it shares a word with
# the query, or its best sentence beats the baseline by RELEVANT_MARGIN, or by CATEGORY_MARGIN when
# the query is surely about the need's category (RELEVANT_CATEGORY: nonsense gets 0.5-0.8, a legal
# query about 1.0). Chosen on a handful
# of queries (nonsense, greetings, off-topic, legal in four languages); tests/api/test_cases.py.
BACKGROUND = (
    "The weather was cold and rainy all week.", "He cooked rice and beans for dinner.",
    "The football match ended in a draw.", "El tren llegó tarde a la estación.",
    "Le musée ouvre à dix heures.", "今天的天气很好。", "Ang bata ay naglalaro sa parke.",
    "Мы купили новый стол для кухни.", "A loja vende frutas frescas.",
    "The printer on the second floor is out of paper.",
    "She likes to read novels in the evening.", "Cây cầu mới được xây dựng năm ngoái.",
)
RELEVANT_MARGIN = 0.09
CATEGORY_MARGIN = 0.03
RELEVANT_CATEGORY = 0.9
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


def _relevant(lexical: float, margin: float, category: float) -> bool:
    """The relevance floor (see RELEVANT_MARGIN)."""
    return (lexical > 0 or margin >= RELEVANT_MARGIN
            or (category >= RELEVANT_CATEGORY and margin >= CATEGORY_MARGIN))


def query_baseline(query_vector: np.ndarray, background: Sequence[EncodedText]) -> float:
    """A query's mean similarity to the background sentences (the best sentence of each)."""
    return float(np.mean([float((item.sentence_vectors @ query_vector).max()) for item in background]))


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
        k: int = 10, mode: str = "hybrid", allowed: Collection[str] | None = None,
        baseline: float | None = None,
    ) -> list[SearchResult]:
        """Top k needs for a query; mode 'hybrid', 'lexical' or 'dense' (the last two: baselines).

        `allowed` keeps only those need ids (the caller's filters). With the query's `baseline`
        (its mean similarity to BACKGROUND), a need that does not pass the relevance floor is
        left out, so a query about nothing finds nothing.
        """
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
        ends = [*self._starts[1:], len(similarities)]
        query_words = set(_tokenize([query])[0])

        def best_sentence(position: int) -> int:
            """The sentence to show: the closest in meaning, but one that shares a word with the
            query first (a short place name can sit closest to a two-word query)."""
            start = int(self._starts[position])
            scores = similarities[start:ends[position]].astype(np.float64)
            sentences = self.needs[position].encoded.sentences
            shared = np.array([len(query_words & set(_tokenize([sentence.text])[0]))
                               for sentence in sentences], dtype=np.float64)
            return int((scores + shared).argmax())
        constraints: QueryConstraints = understand(query)
        results: list[tuple[SearchResult, int]] = []
        for position, need in enumerate(self.needs):
            if allowed is not None and need.id not in allowed:
                continue
            if baseline is not None and not _relevant(
                    float(lexical[position]), float(dense[position]) - baseline,
                    max((query_categories.get(label, 0.0) for label in need.labels), default=0.0)):
                continue
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
            results.append((SearchResult(need.id, round(score, 4), "",
                                         {name: round(value, 4) for name, value in parts.items()}),
                            position))
        results.sort(key=lambda item: (-item[0].score, item[0].need_id))
        return [SearchResult(result.need_id, result.score, highlight(
                    self.needs[position].encoded.sentences[best_sentence(position)].text, query),
                    result.parts) for result, position in results[:k]]
