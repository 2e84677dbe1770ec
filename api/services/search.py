"""Plain-language search over open needs, for responders: the search index is kept between
queries and brought up to date when open needs are published, changed, closed or deleted."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import InvalidInput
from api.storage.tables import Need
from index.need_search import NeedSearchIndex, SearchableNeed, SearchResult

if TYPE_CHECKING:  # types only: the models load in the background, not at import
    from nlp.classify import NeedClassificationPipeline
    from nlp.embedding_cache import CachedEncoding

logger = logging.getLogger("needmatch.service")


class InvalidQuery(InvalidInput):
    """A query with nothing to search for."""


class NeedSearchKeeper:
    """The search index over open needs, rebuilt only when the open needs changed.

    Each query reads the open needs' ids and update times (one small query); a need whose text
    or categories changed is read and encoded again (its encoding is kept in the database), and
    only then is the lexical side re-indexed.
    """

    def __init__(self, sessions: sessionmaker[Session], encodings: CachedEncoding) -> None:
        self.sessions = sessions
        self.encodings = encodings
        self._needs: dict[str, tuple[str, SearchableNeed]] = {}
        self._index: NeedSearchIndex | None = None
        self._lock = threading.Lock()
        self.rebuilds = 0

    def index(self) -> NeedSearchIndex:
        """The index over the open needs as they are now."""
        with self.sessions() as session:
            stamps = {identifier: updated.isoformat() if updated else "" for identifier, updated in
                      session.execute(select(Need.id, Need.updated_at).where(Need.status == "open"))}
        with self._lock:
            current = {identifier: stamp for identifier, (stamp, _) in self._needs.items()}
            if self._index is not None and current == stamps:
                return self._index
            changed = [identifier for identifier, stamp in stamps.items()
                       if current.get(identifier) != stamp]
            for identifier in set(current) - set(stamps):
                del self._needs[identifier]
            if changed:
                with self.sessions() as session:
                    rows = list(session.scalars(select(Need).where(Need.id.in_(changed))))
                encoded = self.encodings.encode([row.text for row in rows])
                for row, item in zip(rows, encoded, strict=True):
                    self._needs[row.id] = (stamps.get(row.id, ""), SearchableNeed(
                        row.id, row.text, row.labels, row.jurisdiction, row.language, item))
            self._index = NeedSearchIndex([self._needs[identifier][1]
                                           for identifier in sorted(self._needs)])
            self.rebuilds += 1
            return self._index


def search_needs(keeper: NeedSearchKeeper, pipeline: NeedClassificationPipeline,
                 queries: Sequence[str], k: int = 10) -> list[list[SearchResult]]:
    """Hybrid search over open needs for each query."""
    for query in queries:
        if not any(char.isalnum() for char in query):
            raise InvalidQuery("the query has no words to search for: describe the need in words")
    index = keeper.index()
    encoder = pipeline.document_encoder
    query_encoded = encoder.encode_batch(list(queries))
    query_scores = pipeline.classifier.classify_encoded(query_encoded, list(queries))
    dimension = encoder.encoder.dimension
    results = [
        index.search(query, item.pooled()[:dimension], scores.scores, k)
        for query, item, scores in zip(queries, query_encoded, query_scores, strict=True)
    ]
    logger.info("searched %d queries over %d open needs", len(queries), len(index.needs))
    return results
