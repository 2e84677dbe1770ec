"""Encodings kept by text: a stored encoding is the one the encoder gives."""

from __future__ import annotations

import numpy as np

from nlp.embedding_cache import CachedEncoding, MemoryEmbeddingStore, pack, text_key, unpack

TEXTS = ["She needs a divorce. He kept her passport.\nWants a T visa.",
         "Unpaid wages for two years at the farm."]


def test_stored_encoding_round_trips(document_encoder) -> None:  # type: ignore[no-untyped-def]
    fresh = document_encoder.encode_batch(TEXTS)
    for text, item in zip(TEXTS, fresh, strict=True):
        again = unpack(text, pack(item), document_encoder.encoder.dimension)
        assert again.sentences == item.sentences
        assert np.array_equal(again.sentence_vectors, item.sentence_vectors)


def test_cache_encodes_once_and_forgets(document_encoder) -> None:  # type: ignore[no-untyped-def]
    store = MemoryEmbeddingStore()
    cache = CachedEncoding(document_encoder, store)
    first = cache.encode(TEXTS)
    assert (cache.hits, cache.misses) == (0, 2) and len(store.items) == 2
    second = cache.encode(list(reversed(TEXTS)))
    assert (cache.hits, cache.misses) == (2, 2)
    assert np.array_equal(second[0].sentence_vectors, first[1].sentence_vectors)
    cache.forget([TEXTS[0]])
    assert text_key(document_encoder.encoder.name, TEXTS[0],
                    document_encoder.splitter.version) not in store.items
    assert len(store.items) == 1
