"""Texts as the models see them: sentences, one unit vector per sentence, and their pooling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.encoder import SentenceEncoder
from nlp.sentences import Sentence, SentenceSplitter


class EmptyText(ValueError):
    """A narrative with no words in it."""


@dataclass(frozen=True)
class EncodedText:
    """A text's sentences and one unit-length embedding per sentence."""

    sentences: list[Sentence]
    sentence_vectors: np.ndarray

    def pooled(self) -> np.ndarray:
        """Whole-text vector derived from the sentence vectors: [normalised mean, normalised max]."""
        return pool(self.sentence_vectors)


def pool(vectors: np.ndarray) -> np.ndarray:
    """Mean and max pooling of unit sentence vectors, each renormalised (one row in, 2d out)."""
    mean = vectors.mean(axis=0)
    peak = vectors.max(axis=0)
    return np.concatenate([_unit(mean), _unit(peak)]).astype(np.float32)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class DocumentEncoder:
    """Splits texts into sentences and embeds every sentence once, in one batched encoder call."""

    def __init__(self, encoder: SentenceEncoder, splitter: SentenceSplitter | None = None) -> None:
        self.encoder = encoder
        self.splitter = splitter if splitter is not None else SentenceSplitter()

    def encode_batch(self, texts: Sequence[str]) -> list[EncodedText]:
        """Encode many texts; raises EmptyText when one of them has no words."""
        sentence_lists = self.splitter.split_batch(texts)
        for index, sentences in enumerate(sentence_lists):
            if not sentences:
                raise EmptyText(f"text number {index + 1} is empty")
        flat = [sentence.text for sentences in sentence_lists for sentence in sentences]
        vectors = self.encoder.encode(flat)
        encoded: list[EncodedText] = []
        position = 0
        for sentences in sentence_lists:
            encoded.append(EncodedText(sentences, vectors[position : position + len(sentences)]))
            position += len(sentences)
        return encoded
