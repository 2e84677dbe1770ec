"""Plain-language search over open, redacted needs: BM25 and dense retrieval fused, with boosts.

The index takes and drops one need at a time (a published, changed or closed need costs its own
tokens and sentence vectors, never a re-index of the others); a query is a handful of array
operations over every indexed need, then Python for the top k only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

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


def query_baseline(query_vector: np.ndarray, background: Sequence[EncodedText]) -> float:
    """A query's mean similarity to the background sentences (the best sentence of each)."""
    return float(np.mean([float((item.sentence_vectors @ query_vector).max()) for item in background]))


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """The array with room for at least `size` rows (doubling, so appends are amortised O(1))."""
    if size <= len(array):
        return array
    bigger = np.zeros((max(size, 2 * len(array), 64), *array.shape[1:]), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


class _LexicalIndex:
    """Okapi BM25 as bm25s scores it by default (Lucene's variant: k1 1.5, b 0.75, idf
    log(1 + (N - df + 0.5) / (df + 0.5))), over an inverted index that takes and drops one
    document at a time."""

    K1, B = 1.5, 0.75

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, int]] = {}
        self._lengths = np.zeros(0, dtype=np.float32)
        self._count = 0
        self._total = 0.0

    def add(self, slot: int, tokens: Sequence[str]) -> None:
        """Index one document's tokens under its slot."""
        for token, count in Counter(tokens).items():
            self._postings.setdefault(token, {})[slot] = count
        self._lengths = _grown(self._lengths, slot + 1)
        self._lengths[slot] = len(tokens)
        self._count += 1
        self._total += len(tokens)

    def remove(self, slot: int, tokens: Sequence[str]) -> None:
        """Drop one document (given the tokens it was added with)."""
        for token in set(tokens):
            posting = self._postings.get(token)
            if posting is not None:
                posting.pop(slot, None)
                if not posting:
                    del self._postings[token]
        self._count -= 1
        self._total -= float(self._lengths[slot])
        self._lengths[slot] = 0.0

    def scores(self, tokens: Iterable[str], size: int) -> np.ndarray:
        """Every slot's BM25 score for the query's tokens (0 where none occurs)."""
        scores = np.zeros(size, dtype=np.float32)
        if not self._count:
            return scores
        average = max(self._total / self._count, 1e-9)
        for token in set(tokens):
            posting = self._postings.get(token)
            if not posting:
                continue
            slots = np.fromiter(posting.keys(), dtype=np.int64, count=len(posting))
            frequencies = np.fromiter(posting.values(), dtype=np.float32, count=len(posting))
            idf = math.log(1.0 + (self._count - len(posting) + 0.5) / (len(posting) + 0.5))
            norms = self.K1 * (1.0 - self.B + self.B * self._lengths[slots] / average)
            scores[slots] += idf * frequencies / (frequencies + norms)
        return scores


class NeedSearchIndex:
    """Hybrid retrieval over needs that come and go one at a time.

    Each need has a slot: its row range in one matrix of every sentence vector (a query is one
    product, then the best sentence per slot), its postings in the BM25 index, and its category,
    place and language codes as arrays. A removed need's slot is dead until the arrays are
    compacted, which happens once dead slots outnumber live ones (amortised, like a growing list).
    """

    COMPACT_AFTER = 64  # dead slots tolerated however few the live ones

    def __init__(self, needs: Iterable[SearchableNeed] = ()) -> None:
        self._reset()
        for need in needs:
            self.add(need)

    def _reset(self) -> None:
        self._needs: list[SearchableNeed | None] = []
        self._tokens: list[list[str]] = []
        self._sentence_words: list[list[set[str]]] = []  # per slot, each sentence's words
        self._slot_of: dict[str, int] = {}
        self._lexical = _LexicalIndex()
        self._rows = np.zeros((0, 0), dtype=np.float32)
        self._row_count = 0
        self._starts = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._labels: dict[str, np.ndarray] = {}
        self._places = np.zeros(0, dtype=np.int32)
        self._languages = np.zeros(0, dtype=np.int32)
        self._codes: dict[str, dict[str, int]] = {"place": {}, "language": {}}

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, need_id: object) -> bool:
        return need_id in self._slot_of

    @property
    def needs(self) -> list[SearchableNeed]:
        """The indexed needs, in the order they were added (their vectors read from the matrix)."""
        return [self._whole(slot) for slot, need in enumerate(self._needs) if need is not None]

    def _whole(self, slot: int) -> SearchableNeed:
        """A slot's need with its sentence vectors (kept once, in the matrix, not per need)."""
        need = self._needs[slot]
        assert need is not None
        vectors = self._rows[int(self._starts[slot]) : self._ends(slot)]
        return replace(need, encoded=EncodedText(need.encoded.sentences,
                                                 vectors[: len(need.encoded.sentences)]))

    def _code(self, kind: str, value: str) -> int:
        codes = self._codes[kind]
        return codes.setdefault(value, len(codes))

    def add(self, need: SearchableNeed) -> None:
        """Index one need; a need already indexed under its id is replaced."""
        if need.id in self._slot_of:
            self.remove(need.id)
        vectors = np.asarray(need.encoded.sentence_vectors, dtype=np.float32)
        if not len(self._slot_of) and not self._row_count:
            self._rows = np.zeros((0, vectors.shape[1]), dtype=np.float32)
        if vectors.shape[0] == 0:  # nothing to embed: a zero row keeps the slot's range whole
            vectors = np.zeros((1, self._rows.shape[1]), dtype=np.float32)
        slot = len(self._needs)
        tokens = _tokenize([need.text])[0]
        self._needs.append(replace(need, encoded=EncodedText(
            need.encoded.sentences, np.zeros((0, vectors.shape[1]), dtype=np.float32))))
        self._tokens.append(tokens)
        self._sentence_words.append([set(words) for words in _tokenize(
            [sentence.text for sentence in need.encoded.sentences])])
        self._slot_of[need.id] = slot
        self._lexical.add(slot, tokens)
        self._rows = _grown(self._rows, self._row_count + len(vectors))
        self._rows[self._row_count : self._row_count + len(vectors)] = vectors
        for name in ("_starts", "_alive", "_places", "_languages",):
            setattr(self, name, _grown(getattr(self, name), slot + 1))
        self._starts[slot] = self._row_count
        self._row_count += len(vectors)
        self._alive[slot] = True
        self._places[slot] = self._code("place", need.jurisdiction)
        self._languages[slot] = self._code("language", need.language)
        for label in need.labels:
            mask = _grown(self._labels.get(label, np.zeros(0, dtype=bool)), slot + 1)
            mask[slot] = True
            self._labels[label] = mask

    def remove(self, need_id: str) -> bool:
        """Drop one need; False when it was not indexed."""
        slot = self._slot_of.pop(need_id, None)
        if slot is None:
            return False
        need = self._needs[slot]
        self._lexical.remove(slot, self._tokens[slot])
        self._needs[slot], self._tokens[slot], self._sentence_words[slot] = None, [], []
        self._alive[slot] = False
        for label in need.labels if need is not None else ():
            self._labels[label][slot] = False
        dead = len(self._needs) - len(self._slot_of)
        if dead > max(len(self._slot_of), self.COMPACT_AFTER):
            live = self.needs
            self._reset()
            for item in live:
                self.add(item)
        return True

    def _ends(self, slot: int) -> int:
        return int(self._starts[slot + 1]) if slot + 1 < len(self._needs) else self._row_count

    def _best_sentence(self, slot: int, similarities: np.ndarray, query_words: set[str]) -> int:
        """The sentence to show: the closest in meaning, but one that shares a word with the
        query first (a short place name can sit closest to a two-word query)."""
        scores = similarities[int(self._starts[slot]) : self._ends(slot)].astype(np.float64)
        shared = np.array([len(query_words & words) for words in self._sentence_words[slot]],
                          dtype=np.float64)
        return int((scores + shared).argmax())

    def _allowed_mask(self, allowed: Collection[str], size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        slots = [self._slot_of[need_id] for need_id in allowed if need_id in self._slot_of]
        mask[np.asarray(slots, dtype=np.int64)] = True
        return mask

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
        if not self._slot_of:
            return []
        size = len(self._needs)
        alive = self._alive[:size]
        tokens = _tokenize([query])[0]
        lexical = self._lexical.scores(tokens, size)
        lexical[~alive] = 0.0
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        similarities = self._rows[: self._row_count] @ np.asarray(query_vector, dtype=np.float32)
        dense = np.maximum.reduceat(similarities, self._starts[:size])
        category = np.zeros(size, dtype=np.float32)
        for label, mask in self._labels.items():
            weight = query_categories.get(label, 0.0)
            if weight:
                # A mask grows only when a need of its category is added: it may be shorter.
                present = np.zeros(size, dtype=bool)
                present[: min(size, len(mask))] = mask[:size]
                category = np.maximum(category, weight * present)
        keep = alive.copy()
        if allowed is not None:
            keep &= self._allowed_mask(allowed, size)
        if baseline is not None:
            margin = dense - baseline
            keep &= ((lexical > 0) | (margin >= RELEVANT_MARGIN)
                     | ((category >= RELEVANT_CATEGORY) & (margin >= CATEGORY_MARGIN)))
        candidates = np.flatnonzero(keep)
        if not candidates.size:
            return []
        parts: dict[str, np.ndarray] = {
            "lexical": LEXICAL_WEIGHT * lexical[candidates].astype(np.float64),
            "dense": DENSE_WEIGHT * np.maximum(dense[candidates], 0.0).astype(np.float64)}
        if mode == "hybrid":
            constraints: QueryConstraints = understand(query)
            parts["category"] = CATEGORY_BOOST * category[candidates].astype(np.float64)
            if constraints.places:
                named = np.array([place_matches(place, constraints.places)
                                  for place in self._codes["place"]], dtype=np.float64)
                parts["place"] = PLACE_BOOST * named[self._places[candidates]]
            if constraints.languages:
                named = np.array([language in constraints.languages
                                  for language in self._codes["language"]], dtype=np.float64)
                parts["language"] = LANGUAGE_BOOST * named[self._languages[candidates]]
            scores = np.sum(list(parts.values()), axis=0)
        elif mode == "lexical":
            scores = lexical[candidates].astype(np.float64)
        else:
            scores = dense[candidates].astype(np.float64)
        scores = np.round(scores, 4)
        if candidates.size > k:
            # The k best and every need tied with the k-th: ties are broken by id below.
            kth = np.partition(scores, candidates.size - k)[candidates.size - k]
            chosen = np.flatnonzero(scores >= kth)
        else:
            chosen = np.arange(candidates.size)
        ranked = sorted(chosen.tolist(), key=lambda position: (
            -scores[position], self._needs[int(candidates[position])].id))[:k]  # type: ignore[union-attr]
        query_words = set(tokens)
        results = []
        for position in ranked:
            slot = int(candidates[position])
            need = self._needs[slot]
            assert need is not None
            snippet = highlight(need.encoded.sentences[self._best_sentence(
                slot, similarities, query_words)].text, query) if need.encoded.sentences else ""
            results.append(SearchResult(
                need.id, float(scores[position]), snippet,
                {name: round(float(values[position]), 4) for name, values in parts.items()}))
        return results
