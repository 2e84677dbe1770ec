"""Plain-language search over open needs, for responders: the search index is kept between
queries and brought up to date when open needs are published, changed, closed or deleted;
filters by place, category, language and urgency, and a relevance floor."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import InvalidInput
from api.storage.tables import Case, Need
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
    """The search index over open needs (of open cases), rebuilt only when they changed.

    Each query reads the open needs' ids and their own and their case's update times (one small
    query); a case whose text changed is encoded again (its encoding is kept in the database),
    and only then is the lexical side re-indexed.
    """

    def __init__(self, sessions: sessionmaker[Session], encodings: CachedEncoding) -> None:
        self.sessions = sessions
        self.encodings = encodings
        self._needs: dict[str, tuple[str, SearchableNeed, NeedFacts]] = {}
        self._index: NeedSearchIndex | None = None
        self._lock = threading.Lock()
        self._background: tuple[str, list[EncodedText]] | None = None
        self.rebuilds = 0

    def background(self, encoder: DocumentEncoder) -> list[EncodedText]:
        """The relevance floor's background sentences, encoded once per encoder."""
        name = encoder.encoder.name
        if self._background is None or self._background[0] != name:
            self._background = (name, encoder.encode_batch(list(BACKGROUND)))
        return self._background[1]

    def facts(self, need_id: str) -> NeedFacts:
        """The facts of an indexed need."""
        return self._needs[need_id][2]

    def index(self) -> NeedSearchIndex:
        """The index over the open needs as they are now."""
        with self.sessions() as session:
            stamps = {
                identifier: f"{need_updated.isoformat() if need_updated else ''}/"
                            f"{case_updated.isoformat() if case_updated else ''}"
                for identifier, need_updated, case_updated in session.execute(
                    select(Need.id, Need.updated_at, Case.updated_at)
                    .join(Case, Case.id == Need.case_id)
                    .where(Need.status == "open", Case.status == "open"))}
        with self._lock:
            current = {identifier: stamp for identifier, (stamp, _, _) in self._needs.items()}
            if self._index is not None and current == stamps:
                return self._index
            changed = [identifier for identifier, stamp in stamps.items()
                       if current.get(identifier) != stamp]
            for identifier in set(current) - set(stamps):
                del self._needs[identifier]
            if changed:
                with self.sessions() as session:
                    rows = list(session.execute(select(Need, Case).join(Case, Case.id == Need.case_id)
                                                .where(Need.id.in_(changed))).all())
                encoded = self.encodings.encode([case.text for _, case in rows])
                for (need, case), item in zip(rows, encoded, strict=True):
                    self._needs[need.id] = (stamps.get(need.id, ""), SearchableNeed(
                        need.id, case.text, [need.category], case.jurisdiction, case.language,
                        item), NeedFacts(
                        need.id, case.id, need.category, case.jurisdiction, case.language,
                        tuple(case.survivor_languages), case.urgency,
                        tuple({"date": d["date"], "kind": d["kind"]} for d in case.deadlines)))
            self._index = NeedSearchIndex([self._needs[identifier][1]
                                           for identifier in sorted(self._needs)])
            self.rebuilds += 1
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
        allowed = {need.id for need in index.needs if keeper.facts(need.id).passes(filters)}
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
    logger.info("searched %d queries over %d open needs", len(queries), len(index.needs))
    return results
