"""Ranking: filters before the cut, score parts, fair rotation, explanations; on the in-memory
index and on the pgvector one (an embedded PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
import pytest

from index.matching import NeedQuery, match_need, why_no_match
from index.numpy_index import NumpyIndex
from index.pg_responder_index import PgResponderIndex, ResponderFacts
from index.responder_index import ResponderEntry, ResponderIndex
from nlp.encoding import EncodedText
from nlp.sentences import Sentence


def _encoded(vectors: list[list[float]], texts: list[str] | None = None) -> EncodedText:
    array = np.asarray(vectors, dtype=np.float32)
    array /= np.linalg.norm(array, axis=1, keepdims=True)
    texts = texts or [f"sentence {i}" for i in range(len(vectors))]
    sentences, position = [], 0
    for text in texts:
        sentences.append(Sentence(text, position, position + len(text)))
        position += len(text) + 1
    return EncodedText(sentences, array)


def _entry(identifier: str, **changes: object) -> ResponderEntry:
    base: dict[str, object] = {
        "id": identifier, "practised": ["family_law"], "category_strength": {"family_law": 1.0},
        "declared": True, "jurisdictions": ["US-TX"], "languages": ["en"], "capacity": 2,
    }
    base.update(changes)
    return ResponderEntry(**base)  # type: ignore[arg-type]


class EntriesInPostgres(PgResponderIndex):
    """The pgvector responder index written with entries, as the in-memory one is: an entry
    whose categories all have strength 1 declares them; otherwise its strengths become inferred
    scores, each category's threshold lowered to admit them."""

    def upsert(self, entry: ResponderEntry, encoded: EncodedText) -> int:  # type: ignore[override]
        declared = all(strength == 1.0 for strength in entry.category_strength.values())
        if not declared:
            for category in entry.practised:
                self.thresholds[category] = min(self.thresholds.get(category, 0.5),
                                                entry.category_strength[category])
        facts = ResponderFacts(
            entry.id, tuple(entry.practised) if declared else (),
            {} if declared else {c: entry.category_strength[c] for c in entry.practised},
            tuple(entry.jurisdictions), tuple(entry.languages), entry.capacity, entry.last_referral)
        return super().upsert(facts, encoded)


@pytest.fixture(params=["memory", pytest.param("pgvector", marks=pytest.mark.slow)])
def empty_index(request: pytest.FixtureRequest) -> Iterator[ResponderIndex | EntriesInPostgres]:
    """An empty responder index of each backend (pgvector: a table of its own)."""
    if request.param == "memory":
        yield ResponderIndex(3, NumpyIndex)
        return
    server = request.getfixturevalue("embedded_postgres")
    built = EntriesInPostgres(server.url(), "test-encoder", 3,
                              table=f"responders_{uuid.uuid4().hex[:12]}").open()
    yield built
    built.drop()
    built.close()


@pytest.fixture
def index(empty_index: ResponderIndex | EntriesInPostgres) -> ResponderIndex | EntriesInPostgres:
    return _directory(empty_index)


def _directory(built: ResponderIndex | EntriesInPostgres) -> ResponderIndex | EntriesInPostgres:
    """Six responders: three near the need but not eligible, three eligible."""
    built.upsert(_entry("near-but-full", capacity=0), _encoded([[1, 0, 0]]))
    built.upsert(_entry("near-wrong-state", jurisdictions=["US-CA"]), _encoded([[1, 0, 0]]))
    built.upsert(_entry("near-wrong-language", languages=["fr"]), _encoded([[1, 0, 0]]))
    built.upsert(_entry("far-but-eligible"), _encoded([[0, 1, 0]], ["We do custody."]))
    built.upsert(_entry("twin-recent", last_referral=2000.0), _encoded([[0.5, 0.5, 0]]))
    built.upsert(_entry("twin-old", last_referral=1000.0), _encoded([[0.5, 0.5, 0]]))
    return built


def _need() -> NeedQuery:
    return NeedQuery(_encoded([[1, 0, 0]], ["She wants custody."]), {"family_law": 0.9},
                     ["family_law"], "US-TX", ("en",))


def test_filters_hold_before_ranking(index: ResponderIndex | EntriesInPostgres) -> None:
    ranked = [s.responder_id for s in match_need(index, _need(), k=10)]
    assert set(ranked) == {"far-but-eligible", "twin-recent", "twin-old"}


def test_fair_rotation_between_equal_responders(index: ResponderIndex | EntriesInPostgres) -> None:
    ranked = [s.responder_id for s in match_need(index, _need(), k=2)]
    assert ranked == ["twin-old", "twin-recent"]


def test_explanation_and_score_parts(index: ResponderIndex | EntriesInPostgres) -> None:
    suggestions = {s.responder_id: s for s in match_need(index, _need(), k=10)}
    far = suggestions["far-but-eligible"].explanation
    assert far["categories_in_common"] == ["family_law"]
    assert far["need_sentence"]["text"] == "She wants custody."
    assert far["jurisdiction"] == {"family_law": "practises in US-TX"}
    assert far["language"] == "speaks en"
    assert suggestions["twin-old"].score > suggestions["far-but-eligible"].score
    for suggestion in suggestions.values():
        parts = suggestion.explanation["score_parts"]
        assert abs(sum(parts.values()) - suggestion.score) < 1e-3


def test_update_and_remove_without_rebuild(index: ResponderIndex | EntriesInPostgres) -> None:
    index.upsert(_entry("near-but-full", capacity=5), _encoded([[1, 0, 0]]))
    assert match_need(index, _need(), k=1)[0].responder_id == "near-but-full"
    assert index.remove("near-but-full") and not index.remove("near-but-full")
    assert "near-but-full" not in [s.responder_id for s in match_need(index, _need(), k=10)]
    assert len(index) == 5
    if isinstance(index, ResponderIndex):
        assert len(index.vectors) == 5 * 2  # profile vector + one sentence each


def test_no_eligible_responder_gives_an_empty_list(index: ResponderIndex | EntriesInPostgres) -> None:
    need = NeedQuery(_encoded([[1, 0, 0]]), {"housing": 0.9}, ["housing"], "US-TX", ("en",))
    assert match_need(index, need) == []


def test_save_and_load_keep_the_ranking(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from index.base import IndexMismatch

    index = _directory(ResponderIndex(3, NumpyIndex))
    assert isinstance(index, ResponderIndex)
    index.save(tmp_path / "ix", {"encoder": "e", "fingerprint": "f1"})
    loaded = ResponderIndex.load(tmp_path / "ix", {"encoder": "e", "fingerprint": "f1"}, NumpyIndex)
    assert [s.responder_id for s in match_need(loaded, _need(), k=10)] == \
        [s.responder_id for s in match_need(index, _need(), k=10)]
    with pytest.raises(IndexMismatch, match="fingerprint"):
        ResponderIndex.load(tmp_path / "ix", {"encoder": "e", "fingerprint": "f2"}, NumpyIndex)


def test_prefilter_admits_exactly_the_eligible_responders() -> None:
    from index.eligibility import eligible_categories

    rng = np.random.default_rng(7)
    categories = ["family_law", "immigration_relief", "civil_damages", "identity_documents",
                  "housing", "family_reunification", "victim_rights"]
    codes = ["US", "US-TX", "US-CA", "US-NY", "MX", "MX-CMX", "CA", "CA-ON", "CA-QC", "GT"]
    languages = ["en", "es", "fr"]
    built = ResponderIndex(3, NumpyIndex)
    for number in range(400):
        practised = list(rng.choice(categories, size=rng.integers(1, 4), replace=False))
        built.upsert(_entry(
            f"r{number}", practised=practised, category_strength={c: 1.0 for c in practised},
            jurisdictions=list(rng.choice(codes, size=rng.integers(1, 3), replace=False)),
            languages=list(rng.choice(languages, size=rng.integers(1, 3), replace=False)),
            capacity=int(rng.integers(0, 3)),
        ), _encoded([[1, 0, 0]]))
    for _ in range(200):
        jurisdiction = str(rng.choice(codes))
        # The survivor's languages: one or two.
        language = tuple(str(code) for code in rng.choice(languages, size=rng.integers(1, 3),
                                                           replace=False))
        need_categories = list(rng.choice(categories, size=rng.integers(1, 3), replace=False))
        by_rule = {key: set(eligible_categories(
            jurisdiction, language, need_categories, entry.practised, entry.jurisdictions,
            entry.languages, entry.capacity)) for key, entry in built.entries.items()}
        # The set algebra of the index and the rule applied one responder at a time agree
        # exactly: a filter that admitted too much would hand matching an ineligible responder.
        by_index = built.eligible_by_category(jurisdiction, language, need_categories)
        for category in need_categories:
            assert by_index[category] == {key for key, allowed in by_rule.items()
                                          if category in allowed}
        assert built.prefilter(jurisdiction, language, need_categories) == {
            key for key, allowed in by_rule.items() if allowed}


def test_a_need_with_two_categories_gets_help_for_both(
        empty_index: ResponderIndex | EntriesInPostgres) -> None:
    built = empty_index
    for number in range(3):
        built.upsert(_entry(f"family-{number}"), _encoded([[1, 0, 0]]))
    built.upsert(_entry("housing-0", practised=["housing"], category_strength={"housing": 1.0}),
                 _encoded([[1, 0, 0]]))
    need = NeedQuery(_encoded([[1, 0, 0]]), {"family_law": 0.9, "housing": 0.8},
                     ["family_law", "housing"], "US-TX", ("en",))
    ranked = match_need(built, need, k=2)
    assert {tuple(s.explanation["categories_in_common"]) for s in ranked} == {("family_law",), ("housing",)}
    # Far behind on score, a responder for an uncovered need does not jump ahead.
    built.upsert(_entry("housing-0", practised=["housing"], category_strength={"housing": 0.05}),
                 _encoded([[0, 1, 0]]))
    ranked = match_need(built, need, k=2)
    assert [s.responder_id for s in ranked] == ["family-0", "family-1"]


def test_when_nobody_is_eligible_the_rule_that_left_nobody_is_named(
        empty_index: ResponderIndex | EntriesInPostgres) -> None:
    built = empty_index
    built.upsert(_entry("tx-full", capacity=0), _encoded([[1, 0, 0]]))
    built.upsert(_entry("ca-spanish", jurisdictions=["US-CA"], languages=["es"]), _encoded([[1, 0, 0]]))
    built.upsert(_entry("tx-french", languages=["fr"]), _encoded([[1, 0, 0]]))
    # Family law in Texas for a Spanish speaker: one practises there in French, one is full.
    report = why_no_match(built, "US-TX", ("es",), ["family_law", "housing"])
    assert report["family_law"] == {"practise": 3, "practise_here": 2, "speak": 0, "with_capacity": 0,
                                    "reason": "nobody_speaks"}
    assert report["housing"]["reason"] == "nobody_practises"
    assert why_no_match(built, "US-CA", ("es",), ["family_law"])["family_law"]["reason"] is None
    assert why_no_match(built, "US-TX", ("fr", "es"), ["family_law"])["family_law"]["reason"] is None
    assert why_no_match(built, "US-FL", ("en",), ["family_law"])["family_law"]["reason"] == (
        "nobody_licensed_here")
    # The English speaker in Texas is full.
    assert why_no_match(built, "US-TX", ("en",), ["family_law"])["family_law"]["reason"] == (
        "all_at_capacity")
