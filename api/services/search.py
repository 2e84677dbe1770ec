"""Plain-language search over open needs, for responders: the search index is kept between
queries and brought up to date, one need at a time, when open needs are published, changed,
closed or deleted;
filters by place, category, language and urgency, and a relevance floor."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import InvalidInput
from api.storage.tables import Case, Need
from index.eligibility import country_of
from index.need_search import (
    BACKGROUND,
    NeedSearchIndex,
    SearchableNeed,
    SearchResult,
    query_baseline,
)

if TYPE_CHECKING:  # types only: the models load in the background, not at import
    from nlp.classify import NeedClassificationPipeline
    from nlp.embedding_cache import CachedEncoding
    from nlp.encoding import DocumentEncoder, EncodedText

logger = logging.getLogger("needmatch.service")


class InvalidQuery(InvalidInput):
    """A query with nothing to search for."""


@dataclass(frozen=True)
class SearchFilters:
    """What a responder narrows a search to (None: anything)."""

    jurisdiction: str | None = None
    category: str | None = None
    language: str | None = None
    urgency: str | None = None


@dataclass(frozen=True)
class NeedFacts:
    """What a search result shows of its need besides the snippet (never the survivor's identity)."""

    need_id: str
    case_id: str
    category: str
    jurisdiction: str
    language: str
    survivor_languages: tuple[str, ...]
    urgency: str
    deadlines: tuple[dict[str, str], ...]

    def passes(self, filters: SearchFilters) -> bool:
        """Whether the need meets every filter (a country filter admits its subdivisions)."""
        if filters.jurisdiction and not (
                self.jurisdiction == filters.jurisdiction
                or self.jurisdiction.startswith(filters.jurisdiction + "-")):
            return False
        if filters.category and self.category != filters.category:
            return False
        if filters.language and filters.language not in (*self.survivor_languages, self.language):
            return False
        return not (filters.urgency and self.urgency != filters.urgency)


@dataclass(frozen=True)
class SearchHitFacts:
    """A search result with its need's facts."""

    result: SearchResult
    facts: NeedFacts


URGENCY_ORDER = {"high": 0, "normal": 1, "low": 2}


class NeedSearchKeeper:
    """The search index over open needs (of open cases), kept up to date one need at a time.

    Each query first asks the database for a signature of the needs (their number, the latest
    update of a need and of a case: the ends of two indexes and a count). Only when it changed
    does the keeper read the needs updated since (see LOOKBACK: two index range reads) and apply
    the difference: new and changed needs are (re-)added, closed and deleted ones removed.
    Nothing is re-indexed as a whole; a case whose text changed is encoded again (its encoding is
    kept in the database). Every server keeps its own index this way, so a need published on
    another server is found on that server's next query.
    """

    # A change is looked for among needs updated since the latest update seen, less LOOKBACK:
    # servers' clocks differ a little, and a transaction may commit after a later one. Every
    # RECONCILE_SECONDS (and whenever the count of needs disagrees) every need's stamp is read,
    # which catches whatever the short look missed.
    LOOKBACK = timedelta(seconds=60)
    RECONCILE_SECONDS = 60.0

    def __init__(self, sessions: sessionmaker[Session], encodings: CachedEncoding) -> None:
        self.sessions = sessions
        self.encodings = encodings
        self._stamps: dict[str, str] = {}
        self._facts: dict[str, NeedFacts] = {}
        # What the filters select, as sets of need ids per value (a jurisdiction under its code
        # and its country: a country filter admits its subdivisions).
        self._facets: dict[str, dict[str, set[str]]] = {
            "jurisdiction": {}, "category": {}, "language": {}, "urgency": {}}
        self._index = NeedSearchIndex()
        self._signature: tuple[Any, ...] | None = None
        self._lock = threading.Lock()
        self._background: tuple[str, list[EncodedText]] | None = None
        self._reconciled_at = 0.0
        self._seen: tuple[datetime, datetime] | None = None  # latest need and case update read
        self._known: set[str] = set()  # every need read, any status: a deletion changes the count
        self.updates = 0  # times changes were applied (to the index in place)
        self.full_looks = 0  # times every open need's stamp was read

    def background(self, encoder: DocumentEncoder) -> list[EncodedText]:
        """The relevance floor's background sentences, encoded once per encoder."""
        name = encoder.encoder.name
        if self._background is None or self._background[0] != name:
            self._background = (name, encoder.encode_batch(list(BACKGROUND)))
        return self._background[1]

    def facts(self, need_id: str) -> NeedFacts:
        """The facts of an indexed need."""
        return self._facts[need_id]

    def allowed(self, filters: SearchFilters) -> set[str]:
        """The indexed needs that pass every filter (set algebra over the facets)."""
        chosen: set[str] | None = None
        for facet, value in (("jurisdiction", filters.jurisdiction), ("category", filters.category),
                             ("language", filters.language), ("urgency", filters.urgency)):
            if value:
                matching = self._facets[facet].get(value, set())
                chosen = set(matching) if chosen is None else chosen & matching
        return set(self._facts) if chosen is None else chosen

    def _facet_values(self, facts: NeedFacts) -> dict[str, set[str]]:
        return {"jurisdiction": {facts.jurisdiction, country_of(facts.jurisdiction)},
                "category": {facts.category},
                "language": {facts.language, *facts.survivor_languages},
                "urgency": {facts.urgency}}

    def _forget(self, need_id: str) -> None:
        facts = self._facts.pop(need_id, None)
        if facts is not None:
            for facet, values in self._facet_values(facts).items():
                for value in values:
                    self._facets[facet][value].discard(need_id)
        self._stamps.pop(need_id, None)
        self._index.remove(need_id)

    def _learn(self, stamp: str, need: SearchableNeed, facts: NeedFacts) -> None:
        self._forget(need.id)
        self._index.add(need)
        self._stamps[need.id], self._facts[need.id] = stamp, facts
        for facet, values in self._facet_values(facts).items():
            for value in values:
                self._facets[facet].setdefault(value, set()).add(need.id)

    _ROW = (Need.id, Need.status, Case.status, Need.updated_at, Case.updated_at)

    @staticmethod
    def _stamp(need_updated: datetime | None, case_updated: datetime | None) -> str:
        return (f"{need_updated.isoformat() if need_updated else ''}/"
                f"{case_updated.isoformat() if case_updated else ''}")

    def _stamps_of(self, rows: Sequence[Any]) -> tuple[dict[str, str], set[str]]:
        """Of (need id, need status, case status, need update, case update) rows: the open needs'
        stamps, and the needs that are not open (closed, matched, held, in review)."""
        stamps: dict[str, str] = {}
        closed: set[str] = set()
        for identifier, need_status, case_status, need_updated, case_updated in rows:
            self._known.add(identifier)
            if need_status == "open" and case_status == "open":
                stamps[identifier] = self._stamp(need_updated, case_updated)
            else:
                closed.add(identifier)
        self._see([(row[3], row[4]) for row in rows])
        return stamps, closed

    def _read_changes(self, signature: tuple[Any, ...]) -> tuple[dict[str, str], set[str]] | None:
        """The needs updated since the last look (less LOOKBACK), or whose case was: the open
        ones' stamps and the others' ids. None when a full look is due: the first look, every
        RECONCILE_SECONDS, or when the number of needs says one was deleted (a deleted need
        leaves no row to find)."""
        if (self._seen is None
                or time.monotonic() - self._reconciled_at >= self.RECONCILE_SECONDS):
            return None
        since_need, since_case = (seen - self.LOOKBACK for seen in self._seen)
        joined = select(*self._ROW).join(Case, Case.id == Need.case_id)
        with self.sessions() as session:  # two range reads on the updated_at indexes
            rows = {row[0]: row for row in session.execute(
                joined.where(Need.updated_at >= since_need))}
            rows.update((row[0], row) for row in session.execute(
                joined.where(Case.updated_at >= since_case)))
        changes = self._stamps_of(list(rows.values()))
        if len(self._known) != signature[0]:
            return None
        return changes

    def _see(self, stamps: Sequence[tuple[datetime | None, datetime | None]]) -> None:
        """Remember the latest need and case updates read (of any status: a closed need's
        update is as late as an open one's)."""
        for need_updated, case_updated in stamps:
            if need_updated is None or case_updated is None:
                continue
            if self._seen is None:
                self._seen = (need_updated, case_updated)
            else:
                self._seen = (max(self._seen[0], need_updated), max(self._seen[1], case_updated))

    def index(self) -> NeedSearchIndex:
        """The index over the open needs as they are now."""
        with self.sessions() as session:
            # Every need, any status (a closed need's update is a change too), and the latest
            # updates: the ends of the updated_at indexes.
            signature = (session.scalar(select(func.count(Need.id))),
                         session.scalar(select(func.max(Need.updated_at))),
                         session.scalar(select(func.max(Case.updated_at))))
        with self._lock:
            if (signature == self._signature
                    and time.monotonic() - self._reconciled_at < self.RECONCILE_SECONDS):
                return self._index
            changes = self._read_changes(signature)
            if changes is None:
                self._known = set()
                with self.sessions() as session:
                    stamps, _ = self._stamps_of(list(session.execute(
                        select(*self._ROW).join(Case, Case.id == Need.case_id))))
                left = set(self._stamps) - set(stamps)
                self._reconciled_at = time.monotonic()
                self.full_looks += 1
            else:
                stamps, left = changes
            for identifier in left:
                self._forget(identifier)
            changed = [identifier for identifier, stamp in stamps.items()
                       if self._stamps.get(identifier) != stamp]
            for first in range(0, len(changed), 256):
                with self.sessions() as session:
                    rows = list(session.execute(select(Need, Case).join(Case, Case.id == Need.case_id)
                                                .where(Need.id.in_(changed[first : first + 256])))
                                .all())
                encoded = self.encodings.encode([case.text for _, case in rows])
                for (need, case), item in zip(rows, encoded, strict=True):
                    self._learn(stamps[need.id], SearchableNeed(
                        need.id, case.text, [need.category], case.jurisdiction, case.language,
                        item), NeedFacts(
                        need.id, case.id, need.category, case.jurisdiction, case.language,
                        tuple(case.survivor_languages), case.urgency,
                        tuple({"date": d["date"], "kind": d["kind"]} for d in case.deadlines)))
            self._signature = signature
            if changed or left:
                self.updates += 1
            return self._index


def search_needs(keeper: NeedSearchKeeper, pipeline: NeedClassificationPipeline,
                 queries: Sequence[str], k: int = 10, filters: SearchFilters | None = None,
                 floor: bool = True) -> list[list[SearchHitFacts]]:
    """Hybrid search over open needs for each query, within the filters; with `floor`, needs
    with nothing to do with the query are left out. Equal scores: the more urgent need first."""
    for query in queries:
        if not any(char.isalnum() for char in query):
            raise InvalidQuery("the query has no words to search for: describe the need in words")
    index = keeper.index()
    allowed = None
    if filters is not None and filters != SearchFilters():
        allowed = keeper.allowed(filters)
    encoder = pipeline.document_encoder
    query_encoded = encoder.encode_batch(list(queries))
    query_scores = pipeline.classifier.classify_encoded(query_encoded, list(queries))
    dimension = encoder.encoder.dimension
    background = keeper.background(encoder) if floor else []
    results = []
    for query, item, scores in zip(queries, query_encoded, query_scores, strict=True):
        vector = item.pooled()[:dimension]
        found = index.search(query, vector, scores.scores, max(k, 1) * 3, allowed=allowed,
                             baseline=query_baseline(vector, background) if floor else None)
        hits = [SearchHitFacts(result, keeper.facts(result.need_id)) for result in found]
        hits.sort(key=lambda hit: (-round(hit.result.score, 2),
                                   URGENCY_ORDER.get(hit.facts.urgency, 1), hit.result.need_id))
        results.append(hits[:k])
    logger.info("searched %d queries over %d open needs", len(queries), len(index))
    return results
