"""Plain-language search over open needs, for responders."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.serving import ServingModel
from api.storage.tables import Need
from index.need_search import NeedSearchIndex, SearchableNeed, SearchResult

logger = logging.getLogger("needmatch.service")


def search_needs(sessions: sessionmaker[Session], model: ServingModel, queries: Sequence[str],
                 k: int = 10) -> list[list[SearchResult]]:
    """Hybrid search over open needs for each query."""
    with sessions() as session:
        needs = list(session.scalars(select(Need).where(Need.status == "open").order_by(Need.id)))
    encoder = model.pipeline.document_encoder
    encoded = model.encodings.encode([need.text for need in needs]) if needs else []
    index = NeedSearchIndex([
        SearchableNeed(n.id, n.text, n.labels, n.jurisdiction, n.language, item)
        for n, item in zip(needs, encoded, strict=True)
    ])
    query_encoded = encoder.encode_batch(list(queries))
    query_scores = model.pipeline.classifier.classify_encoded(query_encoded, list(queries))
    dimension = encoder.encoder.dimension
    results = [
        index.search(query, item.pooled()[:dimension], scores.scores, k)
        for query, item, scores in zip(queries, query_encoded, query_scores, strict=True)
    ]
    logger.info("searched %d queries over %d open needs", len(queries), len(needs))
    return results
