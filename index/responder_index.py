"""Responder expertise in a vector index: one vector per expertise sentence plus a profile vector.

A long profile matches on its best passage (its sentences), a short one on the whole (the
profile vector). Vector keys are responder key * 64 + slot (slot 0: the profile vector).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.base import IndexMismatch, VectorIndex
from index.eligibility import country_of, needs_the_language, reaches
from index.faiss_index import FaissFlatIndex
from nlp.encoding import EncodedText

SLOTS = 64  # slot 0 is the profile vector; at most 63 sentences of a profile are indexed
RECORDS = "responders.json"


@dataclass
class ResponderEntry:
    """What matching needs to know about one responder, besides its vectors."""

    id: str
    practised: list[str]  # declared categories, else those inferred from the expertise text
    category_strength: dict[str, float]  # 1.0 when declared, the classifier's score when inferred
    declared: bool
    jurisdictions: list[str]
    languages: list[str]
    capacity: int
    last_referral: float = 0.0  # POSIX time of the last referral; 0 = never
    sentences: list[str] = field(default_factory=list)
    stamp: str = ""  # the stored profile's version (its update time), to find stale entries


@dataclass(frozen=True)
class Candidates:
    """Stage one's answer: eligible responders with what their cheap score is made of.

    `strength[i, j]` is how strongly responder i practises the need's category j where it is
    eligible for it (1.0 declared, the classifier's score inferred), and 0.0 where it is not.
    """

    keys: np.ndarray  # int64
    similarity: np.ndarray  # float32: the need's vector against each profile vector
    strength: np.ndarray  # float32, (len(keys), len(categories))
    complete: bool = True  # every eligible responder, or only the most similar ones

    @classmethod
    def empty(cls, categories: int) -> Candidates:
        """No eligible responder."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32),
                   np.zeros((0, categories), dtype=np.float32))


class ResponderSearch(Protocol):
    """What matching asks of a responder index (in memory, or in PostgreSQL with pgvector)."""

    dimension: int

    def candidates(self, vector: np.ndarray, jurisdiction: str, languages: Sequence[str],
                   categories: Sequence[str], limit: int | None) -> Candidates:
        """Eligible responders for at least one category: every one (`complete`), or at least the
        `limit` whose profile vectors are most similar to `vector`; None asks for every one."""
        ...

    def details(self, keys: Sequence[int]) -> dict[int, tuple[ResponderEntry, np.ndarray]]:
        """Each key's entry and vectors (row 0 the profile vector, then one row per sentence)."""
        ...

    def exclusions(self, jurisdiction: str, languages: Sequence[str], categories: Iterable[str]
                   ) -> dict[str, dict[str, int]]:
        """Per category, how many responders are left after each eligibility rule in turn."""
        ...

    def __len__(self) -> int: ...


def expertise_vectors(encoded: EncodedText) -> tuple[np.ndarray, list[str]]:
    """The rows a responder is indexed with (its profile vector, the normalised mean of its first
    SLOTS - 1 sentence vectors, then those sentence vectors) and those sentences' texts."""
    sentence_vectors = encoded.sentence_vectors[: SLOTS - 1]
    profile_vector = sentence_vectors.mean(axis=0)
    profile_vector /= max(float(np.linalg.norm(profile_vector)), 1e-12)
    stacked = np.vstack([profile_vector[None, :], sentence_vectors]).astype(np.float32)
    return stacked, [s.text for s in encoded.sentences[: SLOTS - 1]]


def entry_from_profile(
    profile: dict[str, Any], inferred: dict[str, float], thresholds: dict[str, float],
    last_referral: float = 0.0, stamp: str = "",
) -> ResponderEntry:
    """Build an entry from a stored profile and its inferred category scores."""
    declared = profile.get("categories")
    if declared:
        practised = list(declared)
        strength = {category: 1.0 for category in declared}
    else:
        practised = [c for c, score in inferred.items() if score >= thresholds.get(c, 0.5)]
        strength = {c: float(inferred[c]) for c in practised}
    return ResponderEntry(
        id=profile["id"], practised=practised, category_strength=strength,
        declared=bool(declared), jurisdictions=list(profile["jurisdictions"]),
        languages=list(profile["languages"]), capacity=int(profile["capacity"]),
        last_referral=last_referral, stamp=stamp,
    )


class ResponderIndex:
    """Responders' entries and expertise vectors, updatable one responder at a time."""

    def __init__(self, dimension: int, backend: Callable[[int], VectorIndex] = FaissFlatIndex):
        self.dimension = dimension
        self.vectors = backend(dimension)
        self.entries: dict[int, ResponderEntry] = {}
        self.keys: dict[str, int] = {}
        self._vectors_of: dict[int, np.ndarray] = {}
        self._next_key = 1
        # Inverted maps for filtering 10^5 responders without looking at each one.
        self._by_category: dict[str, set[int]] = defaultdict(set)
        self._by_code: dict[str, set[int]] = defaultdict(set)
        self._by_country: dict[str, set[int]] = defaultdict(set)
        self._by_language: dict[str, set[int]] = defaultdict(set)
        self._available: set[int] = set()
        self._profiles = np.zeros((0, dimension), dtype=np.float32)
        self._strength: dict[str, np.ndarray] = {}

    def _postings(self, key: int, entry: ResponderEntry) -> Iterable[set[int]]:
        for category in entry.practised:
            yield self._by_category[category]
        for code in entry.jurisdictions:
            yield self._by_code[code]
            yield self._by_country[country_of(code)]
        for language in entry.languages:
            yield self._by_language[language]
        if entry.capacity > 0:
            yield self._available

    def prefilter(self, jurisdiction: str, languages: Sequence[str], categories: Iterable[str]
                  ) -> set[int]:
        """Keys that pass the eligibility rules for at least one of the categories."""
        keys: set[int] = set()
        for allowed in self.eligible_by_category(jurisdiction, languages, categories).values():
            keys |= allowed
        return keys

    def eligible_by_category(
        self, jurisdiction: str, languages: Sequence[str], categories: Iterable[str]
    ) -> dict[str, set[int]]:
        """Per category, the keys that pass the rules of index.eligibility (set algebra only)."""
        result: dict[str, set[int]] = {}
        speakers: set[int] = set().union(*(self._by_language.get(code, set()) for code in languages))
        for category in categories:
            allowed = self._reaching(jurisdiction, category) & self._by_category.get(category, set())
            allowed &= self._available
            if needs_the_language(category):
                allowed &= speakers
            result[category] = allowed
        return result

    def _reaching(self, jurisdiction: str, category: str) -> set[int]:
        """Keys whose jurisdictions let them practise this category where the need is."""
        places: set[int] = set()
        for way in reaches(jurisdiction, category):
            places |= (self._by_code if way.by == "code" else self._by_country).get(way.code, set())
        return places

    def exclusions(
        self, jurisdiction: str, languages: Sequence[str], categories: Iterable[str]
    ) -> dict[str, dict[str, int]]:
        """Per category, how many responders are left after each rule in turn: they practise it,
        may practise where the need is, speak one of the survivor's languages (where the work
        needs it), and have capacity. Says which rule left nobody."""
        speakers: set[int] = set().union(*(self._by_language.get(code, set()) for code in languages))
        report: dict[str, dict[str, int]] = {}
        for category in categories:
            practise = set(self._by_category.get(category, set()))
            here = practise & self._reaching(jurisdiction, category)
            speak = here & speakers if needs_the_language(category) else here
            report[category] = {"practise": len(practise), "practise_here": len(here),
                                "speak": len(speak), "with_capacity": len(speak & self._available)}
        return report

    def _grow(self, key: int) -> None:
        if key < len(self._profiles):
            return
        size = max(key + 1, 2 * len(self._profiles), 64)
        profiles = np.zeros((size, self.dimension), dtype=np.float32)
        profiles[: len(self._profiles)] = self._profiles
        self._profiles = profiles
        for category, column in self._strength.items():
            grown = np.zeros(size, dtype=np.float32)
            grown[: len(column)] = column
            self._strength[category] = grown

    def _set_rows(self, key: int, entry: ResponderEntry | None, profile: np.ndarray | None) -> None:
        """Keep the dense per-key rows (profile vector, category strengths) in step."""
        self._grow(key)
        self._profiles[key] = 0.0 if profile is None else profile
        for column in self._strength.values():
            column[key] = 0.0
        for category, strength in (entry.category_strength.items() if entry else ()):
            if category not in self._strength:
                self._strength[category] = np.zeros(len(self._profiles), dtype=np.float32)
            self._strength[category][key] = strength

    def profile_similarities(self, vector: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Inner product of a unit vector with these keys' profile vectors."""
        if len(keys) * 4 < len(self._profiles):
            return self._profiles[keys] @ vector
        # Most rows wanted: one pass over the whole matrix beats gathering them.
        return (self._profiles @ vector)[keys]

    def candidates(self, vector: np.ndarray, jurisdiction: str, languages: Sequence[str],
                   categories: Sequence[str], limit: int | None = None) -> Candidates:
        """Every eligible responder (set algebra, then one pass over the profile matrix), whatever
        the `limit`."""
        by_category = self.eligible_by_category(jurisdiction, languages, categories)
        if not by_category:
            return Candidates.empty(len(categories))
        keys = np.fromiter(set().union(*by_category.values()), dtype=np.int64)
        strength = np.zeros((keys.size, len(categories)), dtype=np.float32)
        if keys.size == 0:
            return Candidates(keys, np.zeros(0, dtype=np.float32), strength)
        for column, name in enumerate(categories):
            allowed = np.isin(keys, np.fromiter(by_category[name], dtype=np.int64))
            strength[:, column] = allowed * self.strengths(keys, name)
        return Candidates(keys, self.profile_similarities(vector, keys), strength)

    def details(self, keys: Sequence[int]) -> dict[int, tuple[ResponderEntry, np.ndarray]]:
        """Each key's entry and vectors (row 0 the profile vector, then one row per sentence)."""
        return {key: (self.entries[key], self._vectors_of[key]) for key in keys}

    def strengths(self, keys: np.ndarray, category: str) -> np.ndarray:
        """How strongly each key practises a category (1 declared, inferred score, else 0)."""
        column = self._strength.get(category)
        return np.zeros(len(keys), dtype=np.float32) if column is None else column[keys]

    def __len__(self) -> int:
        return len(self.entries)

    def upsert(self, entry: ResponderEntry, encoded: EncodedText) -> None:
        """Add or replace one responder (no rebuild)."""
        key = self.keys.get(entry.id)
        if key is None:
            key, self._next_key = self._next_key, self._next_key + 1
            self.keys[entry.id] = key
        else:
            self.vectors.remove(self._vector_keys(key))
            for posting in self._postings(key, self.entries[key]):
                posting.discard(key)
        for posting in self._postings(key, entry):
            posting.add(key)
        stacked, entry.sentences = expertise_vectors(encoded)
        self.entries[key] = entry
        self._vectors_of[key] = stacked
        self._set_rows(key, entry, stacked[0])
        self.vectors.add(key * SLOTS + np.arange(len(stacked)), stacked)

    def remove(self, responder_id: str) -> bool:
        """Remove one responder; False when it was not indexed."""
        key = self.keys.pop(responder_id, None)
        if key is None:
            return False
        self.vectors.remove(self._vector_keys(key))
        for posting in self._postings(key, self.entries[key]):
            posting.discard(key)
        self._set_rows(key, None, None)
        del self.entries[key]
        del self._vectors_of[key]
        return True

    def _vector_keys(self, key: int) -> np.ndarray:
        count = len(self._vectors_of.get(key, ()))
        return key * SLOTS + np.arange(max(count, 1))

    def responder_vectors(self, key: int) -> np.ndarray:
        """Row 0 the profile vector, then one row per indexed sentence."""
        return self._vectors_of[key]

    def save(self, directory: Path, description: dict[str, Any]) -> None:
        """Save vectors (with a manifest carrying the caller's description) and entries."""
        self.vectors.save(directory, description)
        records = {
            "next_key": self._next_key,
            "entries": [{"key": key, **asdict(entry)} for key, entry in self.entries.items()],
        }
        arrays = {str(key): value for key, value in self._vectors_of.items()}
        np.savez(directory / "profiles.npz", **arrays)  # type: ignore[arg-type]
        (directory / RECORDS).write_text(json.dumps(records, ensure_ascii=False))

    @classmethod
    def load(
        cls, directory: Path, expected: dict[str, Any],
        backend: type[VectorIndex] = FaissFlatIndex,
    ) -> ResponderIndex:
        """Load a saved index; IndexMismatch when it was built for something else."""
        vectors = backend.load(directory, expected)
        index = cls(vectors.dimension, backend)
        index.vectors = vectors
        records = json.loads((directory / RECORDS).read_text())
        index._next_key = records["next_key"]
        with np.load(directory / "profiles.npz", allow_pickle=False) as stored:
            for record in records["entries"]:
                key = record.pop("key")
                entry = ResponderEntry(**record)
                index.entries[key] = entry
                index.keys[entry.id] = key
                for posting in index._postings(key, entry):
                    posting.add(key)
                index._vectors_of[key] = stored[str(key)]
                index._set_rows(key, entry, index._vectors_of[key][0])
        if sum(len(v) for v in index._vectors_of.values()) != len(vectors):
            raise IndexMismatch(f"{directory}: vectors and records disagree; rebuild it")
        return index


def build_responder_index(
    profiles: Sequence[tuple[ResponderEntry, str]],
    encode: Callable[[Sequence[str]], list[EncodedText]],
    dimension: int,
    backend: Callable[[int], VectorIndex] = FaissFlatIndex,
    batch_size: int = 64,
) -> ResponderIndex:
    """Index (entry, expertise text) pairs, encoding expertise in batches."""
    index = ResponderIndex(dimension, backend)
    for first in range(0, len(profiles), batch_size):
        batch = profiles[first : first + batch_size]
        for (entry, _), encoded in zip(batch, encode([text for _, text in batch]), strict=True):
            index.upsert(entry, encoded)
    return index
