"""The responder index in PostgreSQL (pgvector) against the in-memory one: the same eligibility,
the same suggestions, a table per encoder, and an HNSW stage one that keeps the suggestions."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from api.benchmarks.scale import clustered_vectors
from index.base import IndexMismatch
from index.eligibility import eligible_categories
from index.matching import STAGE_ONE, NeedQuery, match_need, why_no_match
from index.numpy_index import NumpyIndex
from index.pg_responder_index import PgResponderIndex, ResponderFacts, space_table
from index.responder_index import ResponderIndex, entry_from_profile
from nlp.encoding import EncodedText
from nlp.sentences import Sentence

pytestmark = pytest.mark.slow  # an embedded PostgreSQL

CATEGORIES = ["family_law", "immigration_relief", "civil_damages", "identity_documents", "housing",
              "family_reunification", "victim_rights", "judgment_collection"]
CODES = ["US", "US-TX", "US-CA", "US-NY", "MX", "MX-CMX", "CA", "CA-ON", "CA-QC", "GT"]
LANGUAGES = ["en", "es", "fr"]


def _encoded(vectors: np.ndarray) -> EncodedText:
    texts = [f"sentence {number}" for number in range(len(vectors))]
    return EncodedText([Sentence(text, 0, len(text)) for text in texts], vectors)


def _profiles(count: int, rng: np.random.Generator, codes: list[str] = CODES,
              ) -> list[tuple[dict[str, Any], dict[str, float]]]:
    """Random profiles (half declaring their categories) with the classifier's scores."""
    profiles = []
    for number in range(count):
        profile: dict[str, Any] = {
            "id": f"r{number:04d}",
            "jurisdictions": list(rng.choice(codes, size=rng.integers(1, 3), replace=False)),
            "languages": list(rng.choice(LANGUAGES, size=rng.integers(1, 3), replace=False)),
            "capacity": int(rng.integers(0, 3)),
        }
        if rng.random() < 0.5:
            profile["categories"] = list(rng.choice(CATEGORIES, size=rng.integers(1, 4), replace=False))
        inferred = {category: round(float(rng.random()), 6) for category in CATEGORIES}
        profiles.append((profile, inferred))
    return profiles


def _needs(count: int, rng: np.random.Generator, vectors: np.ndarray, codes: list[str] = CODES
           ) -> list[NeedQuery]:
    needs = []
    for number in range(count):
        categories = [str(c) for c in rng.choice(CATEGORIES, size=rng.integers(1, 4), replace=False)]
        sentences = vectors[number * 3 : number * 3 + 3]
        needs.append(NeedQuery(
            _encoded(sentences), {c: float(rng.uniform(0.3, 0.95)) for c in categories}, categories,
            str(rng.choice(codes)),
            tuple(str(code) for code in rng.choice(LANGUAGES, size=rng.integers(1, 3), replace=False))))
    return needs


@pytest.fixture
def table_name() -> str:
    return f"responders_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def url(embedded_postgres: Any) -> str:
    return str(embedded_postgres.url())


def _both(url: str, table: str, profiles: list[tuple[dict[str, Any], dict[str, float]]],
          vectors: np.ndarray, thresholds: dict[str, float], dimension: int, **options: Any
          ) -> tuple[ResponderIndex, PgResponderIndex]:
    """The same responders in memory and in PostgreSQL; responder i has 1-4 rows of `vectors`."""
    memory = ResponderIndex(dimension, NumpyIndex)
    postgres = PgResponderIndex(url, "test-encoder", dimension, thresholds, table=table, **options).open()
    position, written = 0, []
    for number, (profile, inferred) in enumerate(profiles):
        count = 1 + number % 4
        encoded = _encoded(vectors[position : position + count])
        position += count
        memory.upsert(entry_from_profile(profile, inferred, thresholds, float(number % 7)), encoded)
        written.append((ResponderFacts.from_profile(profile, inferred, float(number % 7)), encoded))
    postgres.upsert_many(written)
    return memory, postgres


@pytest.fixture
def thresholds() -> dict[str, float]:
    rng = np.random.default_rng(11)
    # Some categories have no threshold: 0.5, as entry_from_profile reads them.
    return {category: round(float(rng.uniform(0.3, 0.7)), 3) for category in CATEGORIES[:-2]}


@pytest.fixture
def pair(url: str, table_name: str, thresholds: dict[str, float]
         ) -> Iterator[tuple[ResponderIndex, PgResponderIndex]]:
    rng = np.random.default_rng(5)
    profiles = _profiles(500, rng)
    vectors = clustered_vectors(500 * 4, 32, seed=5)
    memory, postgres = _both(url, table_name, profiles, vectors, thresholds, 32)
    yield memory, postgres
    postgres.drop()
    postgres.close()


def test_eligibility_in_sql_follows_the_rules(pair: tuple[ResponderIndex, PgResponderIndex]) -> None:
    memory, postgres = pair
    rng = np.random.default_rng(3)
    entries = {entry.id: entry for entry in memory.entries.values()}
    identifiers = {key: identifier for identifier, key in postgres.keys().items()}
    for need in _needs(150, rng, clustered_vectors(450, 32, seed=9)):
        categories = need.categories()
        found = postgres.candidates(need.encoded.pooled()[:32], need.jurisdiction, need.languages,
                                    categories, len(entries))
        # Jurisdiction codes and countries, the language rule only where the work needs it, and
        # capacity 0 excluded: the SQL admits exactly whom index/eligibility.py admits.
        by_rule = {identifier: set(eligible_categories(
            need.jurisdiction, need.languages, categories, entry.practised, entry.jurisdictions,
            entry.languages, entry.capacity)) for identifier, entry in entries.items()}
        for column, category in enumerate(categories):
            admitted = {identifiers[int(key)] for key in found.keys[found.strength[:, column] > 0]}
            assert admitted == {i for i, allowed in by_rule.items() if category in allowed}, category
        assert {identifiers[int(key)] for key in found.keys} == {i for i, a in by_rule.items() if a}
        assert postgres.exclusions(need.jurisdiction, need.languages, categories) == \
            memory.exclusions(need.jurisdiction, need.languages, categories)


def test_the_same_suggestions_as_the_in_memory_index(pair: tuple[ResponderIndex, PgResponderIndex]) -> None:
    memory, postgres = pair
    rng = np.random.default_rng(4)
    needs = _needs(120, rng, clustered_vectors(360, 32, seed=8))
    compared = 0
    for need in needs:
        expected = match_need(memory, need, 5)
        found = match_need(postgres, need, 5)
        assert [(s.responder_id, s.score, s.explanation) for s in found] == \
            [(s.responder_id, s.score, s.explanation) for s in expected]
        compared += len(expected) > 0
        assert why_no_match(postgres, need.jurisdiction, need.languages, need.categories()) == \
            why_no_match(memory, need.jurisdiction, need.languages, need.categories())
    assert compared > 60  # most needs have someone eligible


def test_the_hnsw_stage_one_keeps_the_suggestions(embedded_postgres: Any, table_name: str) -> None:
    """Past exact_rows, stage one is the HNSW walk over the STAGE_ONE most similar eligible
    profiles: with one category and declared strengths the cheap score is the similarity, so
    the suggestions match the in-memory index's as far as the walk's recall allows; a need with
    fewer eligible responders than STAGE_ONE is scored exactly."""
    # At 4,000 rows PostgreSQL would rather scan and sort them all (exact): a database of this
    # test's own makes every other plan dearer, so the HNSW index is walked.
    url = embedded_postgres.create_database(f"hnsw_{uuid.uuid4().hex[:8]}", {
        "enable_seqscan": "off", "enable_bitmapscan": "off"})
    rng = np.random.default_rng(6)
    codes = ["US", "US-TX", "US-CA"]
    # Half declare both categories, half practise immigration only: for a need of both, the first
    # half's category part is larger, so the most similar profiles alone would not do.
    both = ["immigration_relief", "family_law"]
    profiles = [({**profile, "categories": both[: 1 + number % 2], "capacity": 1}, {})
                for number, (profile, _) in enumerate(_profiles(4000, rng, codes))]
    vectors = clustered_vectors(4000 * 4 + 300, 32, seed=6)
    memory, postgres = _both(url, table_name, profiles, vectors[:-300], {}, 32, exact_rows=0)
    try:
        query = vectors[-300:]
        broad = [NeedQuery(_encoded(query[n * 3 : n * 3 + 3]), {"immigration_relief": 0.9},
                           ["immigration_relief"], "US-TX", ("en",)) for n in range(50)]
        plan = postgres.explain(broad[0].encoded.pooled()[:32], "US-TX", ("en",), ["immigration_relief"],
                                STAGE_ONE)
        assert "profile_hnsw" in plan
        two = [NeedQuery(need.encoded, {"immigration_relief": 0.9, "family_law": 0.6}, both, "US-CA",
                         ("en",)) for need in broad[:25]]
        same = sum([s.responder_id for s in match_need(memory, need, 5)]
                   == [s.responder_id for s in match_need(postgres, need, 5)] for need in broad + two)
        assert same >= 70, f"{same} of 75 needs with the same five suggestions"
        # Family law in Texas for a French speaker: under STAGE_ONE eligible, so scored exactly.
        narrow = [NeedQuery(need.encoded, {"family_law": 0.9}, ["family_law"], "US-TX", ("fr",))
                  for need in broad[:10]]
        for need in narrow:
            assert 0 < len(match_need(memory, need, 500)) < STAGE_ONE
            assert [(s.responder_id, s.score) for s in match_need(postgres, need, 5)] == \
                [(s.responder_id, s.score) for s in match_need(memory, need, 5)]
    finally:
        postgres.drop()
        postgres.close()


def test_another_encoder_never_reads_the_old_vectors(url: str) -> None:
    first = PgResponderIndex(url, f"encoder-a-{uuid.uuid4().hex[:6]}", 3).open()
    second = PgResponderIndex(url, f"encoder-b-{uuid.uuid4().hex[:6]}", 3).open()
    try:
        profile = {"id": "r1", "categories": ["family_law"], "jurisdictions": ["US-TX"],
                   "languages": ["en"], "capacity": 1}
        first.upsert(ResponderFacts.from_profile(profile, {}),
                     _encoded(np.array([[1.0, 0.0, 0.0]], dtype=np.float32)))
        assert first.table != second.table == space_table(second.encoder, 3)
        assert (len(first), len(second)) == (1, 0)
        found = second.candidates(np.array([1.0, 0.0, 0.0]), "US-TX", ("en",), ["family_law"], 10)
        assert found.keys.size == 0
        # A table recorded for one encoder refuses another, or another dimension.
        with pytest.raises(IndexMismatch, match="holds vectors of"):
            PgResponderIndex(url, second.encoder, 3, table=first.table).open()
        with pytest.raises(IndexMismatch, match="holds vectors of"):
            PgResponderIndex(url, first.encoder, 4, table=first.table).open()
    finally:
        for index in (first, second):
            index.drop()
            index.close()


def test_upserts_keep_one_row_and_one_key_per_responder(url: str, table_name: str) -> None:
    """Two index objects (two processes) on one table: the same responder written by both, at
    once, is one row with one key; a change or a removal by one is what the other reads."""
    from concurrent.futures import ThreadPoolExecutor

    first = PgResponderIndex(url, "test-encoder", 3, table=table_name).open()
    second = PgResponderIndex(url, "test-encoder", 3, table=table_name).open()
    try:
        rng = np.random.default_rng(2)
        profiles = _profiles(60, rng)
        vectors = clustered_vectors(60, 3, seed=2)
        items = [(ResponderFacts.from_profile(p, i), _encoded(vectors[n : n + 1]))
                 for n, (p, i) in enumerate(profiles)]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda index: index.upsert_many(items), [first, second]))
        assert len(first) == len(second) == 60
        keys = first.keys()
        assert keys == second.keys() and len(set(keys.values())) == 60
        changed = {**profiles[0][0], "capacity": 0}
        second.upsert(ResponderFacts.from_profile(changed, profiles[0][1]), items[0][1])
        assert first.keys()[changed["id"]] == keys[changed["id"]]
        entry, _ = first.details([keys[changed["id"]]])[keys[changed["id"]]]
        assert entry.capacity == 0
        assert second.remove(profiles[1][0]["id"]) and not first.remove(profiles[1][0]["id"])
        assert len(first) == 59
    finally:
        first.drop()
        first.close()
        second.close()
