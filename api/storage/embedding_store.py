"""The embedding cache in the database (nlp.embedding_cache.EmbeddingStore over SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.storage.tables import TextEmbedding
from nlp.embedding_cache import CachedEncoding, StoredEncoding
from nlp.encoding import DocumentEncoder


class DatabaseEmbeddingStore:
    """Encodings of stored texts, keyed by text hash, shared by every worker and command."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get_many(self, keys: Sequence[str]) -> dict[str, StoredEncoding]:
        """The stored encodings among these keys."""
        if not keys:
            return {}
        with self.sessions() as session:
            rows = session.execute(select(TextEmbedding.key, TextEmbedding.offsets,
                                          TextEmbedding.vectors)
                                   .where(TextEmbedding.key.in_(list(keys))))
            return {key: StoredEncoding(offsets, bytes(vectors)) for key, offsets, vectors in rows}

    def put_many(self, items: dict[str, StoredEncoding]) -> None:
        """Store encodings; keys already there (from another worker, say) are left alone."""
        if not items:
            return
        try:
            with self.sessions.begin() as session:
                present = set(session.scalars(select(TextEmbedding.key)
                                              .where(TextEmbedding.key.in_(list(items)))))
                session.add_all(TextEmbedding(key=key, offsets=value.offsets, vectors=value.vectors)
                                for key, value in items.items() if key not in present)
        except IntegrityError:
            # Another worker stored some of these at the same moment: it is only a cache.
            return

    def forget(self, keys: Sequence[str]) -> None:
        """Remove encodings (a deleted need's text)."""
        with self.sessions.begin() as session:
            session.execute(delete(TextEmbedding).where(TextEmbedding.key.in_(list(keys))))


def kept_encodings(sessions: sessionmaker[Session], document_encoder: DocumentEncoder) -> CachedEncoding:
    """Encodings of stored texts (redacted needs, examples, responder expertise, training files),
    kept in the database; never of raw narratives."""
    return CachedEncoding(document_encoder, DatabaseEmbeddingStore(sessions))
