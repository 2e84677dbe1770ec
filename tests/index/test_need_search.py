"""Need search's index: its BM25 against bm25s, and needs taken and dropped one at a time giving
what an index of the same needs made at once gives."""

from __future__ import annotations

import re
import zlib

import bm25s
import numpy as np
import pytest

from index.need_search import NeedSearchIndex, SearchableNeed, _LexicalIndex, _tokenize
from nlp.encoding import EncodedText
from nlp.sentences import Sentence

DIMENSION = 32


def _word_vector(word: str) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(word.encode())).standard_normal(DIMENSION)


def encode(text: str) -> EncodedText:
    """Sentences split on . and 。, each a unit bag-of-words vector (a stand-in for the encoder)."""
    sentences, vectors = [], []
    for match in re.finditer(r"[^.。]+[.。]?", text):
        chunk = match.group(0).strip()
        if not chunk:
            continue
        sentences.append(Sentence(chunk, match.start(), match.end()))
        # Characters as well as words, so a text in a script without spaces has a meaning too.
        vector = sum((_word_vector(word) for word in [*re.findall(r"\w+", chunk.lower()), *chunk]),
                     np.zeros(DIMENSION))
        vectors.append(vector / np.linalg.norm(vector))
    return EncodedText(sentences, np.array(vectors, dtype=np.float32))


TEXTS = {
    "n1": ("She was never paid wages for two years at the restaurant. The owner kept her passport.",
           "wage_claims", "US-NY", "en"),
    "n2": ("Necesita la custodia de sus hijos. Su esposo la amenazó.", "family_law", "US-CA", "es"),
    "n3": ("She has convictions for prostitution she was forced into. She wants them vacated.",
           "criminal_record_relief", "US-TX", "en"),
    "n4": ("她在餐馆工作两年没有工资。老板拿走了她的护照。", "wage_claims", "US-NY", "zh"),
    "n5": ("Il lui faut un visa T. Elle a été exploitée dans une ferme.", "immigration", "CA-QC", "fr"),
    "n6": ("Hindi siya binayaran ng sahod sa loob ng isang taon. Kinuha ang kanyang pasaporte.",
           "wage_claims", "PH", "tl"),
    "n7": ("The landlord evicted her after the trafficker left. She needs housing help.",
           "housing", "US-NY", "en"),
    "n8": ("Potrzebuje pomocy z wizą. Pracował bez wynagrodzenia na budowie.", "immigration",
           "US-IL", "pl"),
}


def need(identifier: str, text: str | None = None) -> SearchableNeed:
    body, label, place, language = TEXTS[identifier]
    body = text if text is not None else body
    return SearchableNeed(identifier, body, [label], place, language, encode(body))


QUERIES = ["unpaid wages passport", "custodia de sus hijos", "vacate prostitution convictions",
           "工资 护照", "visa T ferme", "housing New York", "xyzzy", "wages in Spanish",
           # Words in several needs, so the scores depend on the whole corpus (idf, lengths).
           "she was never paid and her passport was kept", "she needs help with her visa"]


def results(index: NeedSearchIndex, **options: object) -> list[list[tuple[str, float, str]]]:
    found = []
    for query in QUERIES:
        vector = encode(query).pooled()[:DIMENSION]
        categories = {"wage_claims": 0.95} if "wage" in query else {"family_law": 0.4}
        found.append([(r.need_id, r.score, r.snippet)
                      for r in index.search(query, vector, categories, k=5, **options)])  # type: ignore[arg-type]
    return found


def test_bm25_scores_are_bm25s_scores() -> None:
    corpus = [text for text, *_ in TEXTS.values()]
    tokens = _tokenize(corpus)
    lexical = _LexicalIndex()
    for slot, document in enumerate(tokens):
        lexical.add(slot, document)
    reference = bm25s.BM25()
    reference.index(tokens, show_progress=False)
    for query in ("paid wages passport", "custodia hijos", "visa", "pasaporte sahod", "nothing"):
        query_tokens = _tokenize([query])[0]
        ours = lexical.scores(query_tokens, len(corpus))
        documents, scores = reference.retrieve([query_tokens], k=len(corpus), show_progress=False)
        theirs = np.zeros(len(corpus), dtype=np.float32)
        theirs[documents[0]] = scores[0]
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    # Documents dropped: the rest score as bm25s scores the smaller corpus (N, df, mean length).
    for slot in (0, 3, 6):
        lexical.remove(slot, tokens[slot])
    kept = [slot for slot in range(len(corpus)) if slot not in (0, 3, 6)]
    reference = bm25s.BM25()
    reference.index([tokens[slot] for slot in kept], show_progress=False)
    for query in ("paid wages passport she her", "custodia hijos", "visa she needs"):
        query_tokens = _tokenize([query])[0]
        ours = lexical.scores(query_tokens, len(corpus))
        documents, scores = reference.retrieve([query_tokens], k=len(kept), show_progress=False)
        theirs = np.zeros(len(corpus), dtype=np.float32)
        theirs[np.asarray(kept)[documents[0]]] = scores[0]
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("compact_after", [2, 1000])
@pytest.mark.parametrize("options", [{}, {"mode": "lexical"}, {"mode": "dense"},
                                     {"baseline": 0.2}, {"allowed": {"n1", "n4", "n6", "n2"}}])
def test_needs_taken_one_at_a_time_search_like_an_index_made_at_once(
        options: dict[str, object], compact_after: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # With and without crossing a compaction (after a few dead slots, or never).
    monkeypatch.setattr(NeedSearchIndex, "COMPACT_AFTER", compact_after)
    index = NeedSearchIndex()
    for identifier in TEXTS:
        index.add(need(identifier))
    assert index.remove("n3") and index.remove("n7") and not index.remove("n7")
    index.add(need("n1", "She was never paid for a year on a fishing boat. Her visa expired."))
    index.add(need("n7"))
    index.remove("n5")
    index.remove("n8")
    final = [need(i) for i in ("n2", "n4", "n6")] + [
        need("n1", "She was never paid for a year on a fishing boat. Her visa expired."), need("n7")]
    fresh = NeedSearchIndex(final)
    assert len(index) == len(fresh) == 5 and "n3" not in index and "n1" in index
    ours, theirs = results(index, **options), results(fresh, **options)
    for query, mine, expected in zip(QUERIES, ours, theirs, strict=True):
        assert [r[0] for r in mine] == [r[0] for r in expected], query
        np.testing.assert_allclose([r[1] for r in mine], [r[1] for r in expected], atol=2e-4)
        assert [r[2] for r in mine] == [r[2] for r in expected], query


def test_a_removed_need_is_never_found_and_a_changed_one_by_its_new_words_only() -> None:
    index = NeedSearchIndex([need(identifier) for identifier in TEXTS])
    vector = encode("restaurant passport").pooled()[:DIMENSION]
    assert results(index, mode="lexical")[0][0][0] == "n1"
    index.add(need("n1", "She needs a T visa after a farm job in Florida."))
    lexical = index.search("restaurant passport", vector, {}, k=8, mode="lexical")
    assert "n1" not in [r.need_id for r in lexical if r.score > 0]
    assert index.search("farm Florida", encode("farm Florida").pooled()[:DIMENSION], {}, k=1,
                        mode="lexical")[0].need_id == "n1"
    index.remove("n1")
    everything = index.search("farm Florida visa", vector, {}, k=10)
    assert "n1" not in [r.need_id for r in everything] and len(everything) == len(TEXTS) - 1


def test_a_chinese_need_is_found_by_a_chinese_query_and_its_sentence_shown() -> None:
    index = NeedSearchIndex([need(identifier) for identifier in TEXTS])
    query = "老板拿走了护照"
    found = index.search(query, encode(query).pooled()[:DIMENSION], {}, k=3, mode="dense")
    assert found[0].need_id == "n4"
    assert "护照" in found[0].snippet


def test_ties_at_the_cut_are_broken_by_id() -> None:
    twins = [SearchableNeed(f"t{i}", "same words here.", ["housing"], "US-NY", "en",
                            encode("same words here.")) for i in (3, 1, 2, 0)]
    index = NeedSearchIndex(twins)
    found = index.search("same words", encode("same words").pooled()[:DIMENSION], {}, k=2)
    assert [r.need_id for r in found] == ["t0", "t1"]


def test_an_empty_index_finds_nothing() -> None:
    index = NeedSearchIndex()
    assert index.search("wages", np.ones(DIMENSION, dtype=np.float32), {}, k=3) == []
    index.add(need("n1"))
    index.remove("n1")
    assert len(index) == 0
    assert index.search("wages", encode("wages").pooled()[:DIMENSION], {}, k=3) == []


def test_a_category_last_seen_in_an_early_slot_still_boosts_its_need() -> None:
    """A category's mask grows only when a need of that category is added: found by CI, a
    category whose last need sat in the first 64 slots, queried with 117 needs indexed, broke
    the search ("operands could not be broadcast together with shapes (117,) (64,)")."""
    rare = SearchableNeed("rare", "She was arrested again last week.", ["criminal_defense"],
                          "US-NY", "en", encode("She was arrested again last week."))
    others = [SearchableNeed(f"o{i:03d}", f"Unpaid wages case {i}.", ["wage_claims"], "US-NY", "en",
                             encode(f"Unpaid wages case {i}.")) for i in range(116)]
    index = NeedSearchIndex([rare, *others])
    query = "arrested last week"
    found = index.search(query, encode(query).pooled()[:DIMENSION], {"criminal_defense": 0.9}, k=3)
    assert found[0].need_id == "rare" and found[0].parts["category"] > 0
