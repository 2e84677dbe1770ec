"""Sentence embeddings kept by text, so that a text is split and embedded once across retrains.

Only texts that are stored anyway (redacted needs, the shipped training postings) may be put
in a store: an embedding, or the hash of a raw narrative, is identifying information too.
The store itself (a database table, a dictionary) is the caller's: see ``EmbeddingStore``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nlp.encoding import DocumentEncoder, EncodedText
from nlp.sentences import Sentence


@dataclass(frozen=True)
class StoredEncoding:
    """A text's sentence offsets and its sentence vectors as float32 bytes (row-major)."""

    offsets: list[list[int]]
    vectors: bytes


class EmbeddingStore(Protocol):
    """Where encodings are kept, keyed by ``text_key``."""

    def get_many(self, keys: Sequence[str]) -> dict[str, StoredEncoding]:
        """The stored encodings among these keys."""
        ...

    def put_many(self, items: dict[str, StoredEncoding]) -> None:
        """Store encodings (an existing key is left as it is)."""
        ...

    def forget(self, keys: Sequence[str]) -> None:
        """Remove encodings."""
        ...


class MemoryEmbeddingStore:
    """A dictionary store (tests, one-off commands)."""

    def __init__(self) -> None:
        self.items: dict[str, StoredEncoding] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, StoredEncoding]:
        """The stored encodings among these keys."""
        return {key: self.items[key] for key in keys if key in self.items}

    def put_many(self, items: dict[str, StoredEncoding]) -> None:
        """Store encodings (an existing key is left as it is)."""
        for key, value in items.items():
            self.items.setdefault(key, value)

    def forget(self, keys: Sequence[str]) -> None:
        """Remove encodings."""
        for key in keys:
            self.items.pop(key, None)


def text_key(encoder_name: str, text: str, split_version: int) -> str:
    """SHA-256 of the encoder, the sentence splitting version and the text.

    Version 1 keys are those written before splitting had versions (the same hash).
    """
    return hashlib.sha256(f"{encoder_name}\n{split_version}\n{text}".encode()).hexdigest()


def pack(encoded: EncodedText) -> StoredEncoding:
    """What a store keeps of an encoding."""
    offsets = [[sentence.start, sentence.end] for sentence in encoded.sentences]
    return StoredEncoding(offsets, np.ascontiguousarray(encoded.sentence_vectors, np.float32).tobytes())


def unpack(text: str, stored: StoredEncoding, dimension: int) -> EncodedText:
    """Rebuild an encoding of ``text`` (sentences are cut from the text by their offsets)."""
    vectors = np.frombuffer(stored.vectors, dtype=np.float32).reshape(-1, dimension)
    if len(vectors) != len(stored.offsets):
        raise ValueError("a stored encoding's vectors do not match its sentences")
    sentences = [Sentence(text[start:end], start, end) for start, end in stored.offsets]
    return EncodedText(sentences, vectors.copy())


class CachedEncoding:
    """Encode texts through a store: found ones are read, missing ones encoded and stored."""

    def __init__(self, document_encoder: DocumentEncoder, store: EmbeddingStore) -> None:
        self.document_encoder = document_encoder
        self.store = store
        self.hits = 0
        self.misses = 0

    def forget(self, texts: Sequence[str]) -> None:
        """Remove the encodings of these texts (a deleted need's)."""
        self.store.forget([self._key(text) for text in texts])

    def _key(self, text: str) -> str:
        return text_key(self.document_encoder.encoder.name, text,
                        self.document_encoder.splitter.version)

    def encode(self, texts: Sequence[str], chunk: int = 64,
               on_chunk: Callable[[int, int], None] | None = None) -> list[EncodedText]:
        """Encodings of every text, in order; ``on_chunk(done, total)`` reports progress."""
        dimension = self.document_encoder.encoder.dimension
        keys = [self._key(text) for text in texts]
        found: dict[str, StoredEncoding] = {}
        for first in range(0, len(keys), 500):
            found.update(self.store.get_many(keys[first : first + 500]))
        result: list[EncodedText | None] = [
            unpack(text, found[key], dimension) if key in found else None
            for text, key in zip(texts, keys, strict=True)
        ]
        missing = [index for index, item in enumerate(result) if item is None]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        done = len(texts) - len(missing)
        if on_chunk is not None:
            on_chunk(done, len(texts))
        for first in range(0, len(missing), chunk):
            batch = missing[first : first + chunk]
            # Duplicated texts in one batch are encoded once each time they appear: harmless.
            encoded = self.document_encoder.encode_batch([texts[index] for index in batch])
            self.store.put_many({keys[index]: pack(item) for index, item in zip(batch, encoded, strict=True)})
            for index, item in zip(batch, encoded, strict=True):
                result[index] = item
            done += len(batch)
            if on_chunk is not None:
                on_chunk(done, len(texts))
        return [item for item in result if item is not None]
