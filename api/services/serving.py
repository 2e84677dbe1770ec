"""The model a process serves with: the classification pipeline, the redactor, the kept encodings
and the responder index built for them.

The responder index lives in one of two places, chosen once per process (`choose_responder_storage`):
in the service's PostgreSQL when it has pgvector (every server and worker reads the same rows,
nothing held per process), else in this process (FAISS files under the data directory).

A `ServingModel` is replaced as a whole when a promoted classifier is swapped in
(`api/services/model_follower.py`); a request takes it once, so all of its work runs on one
model.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api.services.search import NeedSearchKeeper
from api.storage.embedding_store import kept_encodings
from api.storage.responder_index_files import index_directory, load_index, save_index
from api.storage.tables import Responder
from index.pg_responder_index import (
    ConnectionPool,
    PgResponderIndex,
    ResponderFacts,
    pgvector_unavailable,
)
from index.responder_index import (
    ResponderEntry,
    ResponderIndex,
    ResponderSearch,
    build_responder_index,
    entry_from_profile,
)

if TYPE_CHECKING:  # types only: the models load in the background, not at import
    from nlp.classify import NeedClassificationPipeline
    from nlp.embedding_cache import CachedEncoding
    from nlp.encoding import EncodedText
    from nlp.redact import Redactor

logger = logging.getLogger("needmatch.service")
# Profiles read, encoded and written per round when bringing the PostgreSQL index up to date.
SYNCHRONISE_BATCH = 256


@dataclass(frozen=True)
class ResponderStorage:
    """Where this process keeps the responder index: "pgvector" (the service's PostgreSQL, through
    `pool`) or "faiss" (in the process, saved as files under the data directory)."""

    backend: str
    pool: ConnectionPool | None = None


def choose_responder_storage(sessions: sessionmaker[Session]) -> ResponderStorage:
    """pgvector when the database is PostgreSQL with the vector extension (created if it can be),
    else FAISS files; logged once, at start-up."""
    engine: Engine = sessions.kw["bind"]
    if engine.dialect.name != "postgresql":
        logger.info("responder index backend: faiss (database %s)", engine.dialect.name)
        return ResponderStorage("faiss")
    url = engine.url.render_as_string(hide_password=False)
    reason = pgvector_unavailable(url)
    if reason is not None:
        logger.info("responder index backend: faiss (postgresql without pgvector: %s)", reason)
        return ResponderStorage("faiss")
    logger.info("responder index backend: pgvector")
    return ResponderStorage("pgvector", ConnectionPool(url))


class ResponderDirectory:
    """The responder index kept in step with the database's profiles."""

    def __init__(self, sessions: sessionmaker[Session], pipeline: NeedClassificationPipeline,
                 encodings: CachedEncoding, data_dir: Path,
                 lock: threading.Lock | None = None, storage: ResponderStorage | None = None) -> None:
        self.sessions = sessions
        self.pipeline = pipeline
        self.encodings = encodings
        self.directory = index_directory(data_dir)
        # Shared with the directory this one replaces after a model swap: one writer of the index.
        self.lock = lock if lock is not None else threading.Lock()
        self.storage = storage if storage is not None else ResponderStorage("faiss")
        self._index: ResponderIndex | None = None
        self._vectors: PgResponderIndex | None = None
        self._thresholds = dict(zip(pipeline.classifier.labels,
                                    pipeline.classifier.thresholds.tolist(), strict=True))

    @property
    def backend(self) -> str:
        """"pgvector" or "faiss"."""
        return self.storage.backend

    @staticmethod
    def _stamp(responder: Responder) -> str:
        return responder.updated_at.isoformat() if responder.updated_at else ""

    def _entry(self, responder: Responder) -> ResponderEntry:
        last = responder.last_referral_at.timestamp() if responder.last_referral_at else 0.0
        return entry_from_profile(responder.profile(), responder.inferred_categories,
                                  self._thresholds, last, self._stamp(responder))

    def index(self) -> ResponderSearch:
        """The index brought up to date with the database.

        Changed, new and deleted responders are applied one by one (no rebuild). In PostgreSQL the
        changes are found by one join of the profiles' stamps with the index's; in the process,
        the saved index is rebuilt only when it is missing, damaged or made with another encoder
        or model.
        """
        with self.lock:
            if self.storage.pool is not None:
                return self._synchronised_in_postgresql()
            return self._synchronised()

    def rebuild(self, on_progress: Callable[[int, int], object] | None = None) -> ResponderSearch:
        """Embed every profile again with this model's encoder and replace the index's content."""
        with self.lock:
            if self.storage.pool is not None:
                return self._rebuilt_in_postgresql(on_progress)
            with self.sessions() as session:
                responders = list(session.scalars(select(Responder)))
            encoder = self.pipeline.document_encoder.encoder
            done = 0

            def encode(texts: Sequence[str]) -> list[EncodedText]:
                nonlocal done
                encoded = self.encodings.encode(texts)
                done += len(texts)
                if on_progress is not None:
                    on_progress(done, len(responders))
                return encoded

            index = build_responder_index([(self._entry(r), r.expertise) for r in responders], encode,
                                          encoder.dimension)
            save_index(index, self.directory, {"encoder": encoder.name, "model": self.pipeline.version})
            self._index = index
            return index

    def _synchronised(self) -> ResponderIndex:
        encoder = self.pipeline.document_encoder.encoder
        description = {"encoder": encoder.name, "model": self.pipeline.version}
        with self.sessions() as session:
            responders = {r.id: r for r in session.scalars(select(Responder))}
        try:
            index = self._index or load_index(self.directory, description)
        except Exception as error:  # noqa: BLE001 - any unreadable derived file is rebuilt
            # Missing, from another encoder or model (IndexMismatch), or damaged: truncated,
            # emptied or overwritten files raise whatever FAISS, NumPy or JSON raise on them.
            # The database is the source of truth, so the index is built again from it.
            logger.warning("responder index unusable (%s): rebuilding from the database",
                           type(error).__name__)
            index = build_responder_index(
                [(self._entry(r), r.expertise) for r in responders.values()],
                self.encodings.encode, encoder.dimension,
            )
            save_index(index, self.directory, description)
            logger.info("responder index built: %d responders", len(index))
            self._index = index
            return index
        indexed = {entry.id: entry.stamp for entry in index.entries.values()}
        removed = [identifier for identifier in indexed if identifier not in responders]
        changed = [r for r in responders.values() if indexed.get(r.id) != self._stamp(r)]
        for identifier in removed:
            index.remove(identifier)
        if changed:
            encoded = self.encodings.encode([r.expertise for r in changed])
            for responder, item in zip(changed, encoded, strict=True):
                index.upsert(self._entry(responder), item)
        if removed or changed:
            save_index(index, self.directory, description)
            logger.info("responder index updated: %d changed, %d removed", len(changed),
                        len(removed))
        self._index = index
        return index

    # The index in PostgreSQL ----------------------------------------------------------------

    def _facts(self, responder: Responder) -> ResponderFacts:
        last = responder.last_referral_at.timestamp() if responder.last_referral_at else 0.0
        return ResponderFacts.from_profile(responder.profile(), responder.inferred_categories, last,
                                           responder.updated_at)

    def _vector_index(self) -> PgResponderIndex:
        """This encoder's table (made on first use), read with this model's thresholds."""
        if self._vectors is None:
            assert self.storage.pool is not None
            encoder = self.pipeline.document_encoder.encoder
            self._vectors = PgResponderIndex(self.storage.pool.url, encoder.name, encoder.dimension,
                                             self._thresholds, pool=self.storage.pool).open()
        return self._vectors

    def _write(self, index: PgResponderIndex, identifiers: Sequence[str],
               on_progress: Callable[[int, int], object] | None = None) -> None:
        """Read, encode (kept encodings) and upsert these responders, a batch at a time."""
        for first in range(0, len(identifiers), SYNCHRONISE_BATCH):
            batch = identifiers[first : first + SYNCHRONISE_BATCH]
            with self.sessions() as session:
                responders = list(session.scalars(select(Responder).where(Responder.id.in_(batch))))
            encoded = self.encodings.encode([r.expertise for r in responders])
            index.upsert_many([(self._facts(r), item) for r, item in zip(responders, encoded, strict=True)])
            if on_progress is not None:
                on_progress(first + len(batch), len(identifiers))

    def _synchronised_in_postgresql(self) -> PgResponderIndex:
        index = self._vector_index()
        source = Responder.__tablename__
        if index.stale(source) == ([], []):
            return index
        # One process applies changes at a time; whoever waited finds them applied.
        with index.writing():
            changed, removed = index.stale(source)
            index.remove_many(removed)
            self._write(index, changed)
            if len(changed) + len(removed) >= SYNCHRONISE_BATCH:
                index.analyze()
        if changed or removed:
            logger.info("responder vectors updated in postgresql: %d changed, %d removed",
                        len(changed), len(removed))
        return index

    def _rebuilt_in_postgresql(self, on_progress: Callable[[int, int], object] | None) -> PgResponderIndex:
        index = self._vector_index()
        with index.writing():
            with self.sessions() as session:
                identifiers = sorted(session.scalars(select(Responder.id)))
            _, removed = index.stale(Responder.__tablename__)
            index.remove_many(removed)
            self._write(index, identifiers, on_progress)
            index.analyze()
        logger.info("responder vectors rewritten in postgresql: %d responders", len(identifiers))
        return index


@dataclass
class ServingModel:
    """What every use case that classifies or matches needs, bound to one classifier version."""

    pipeline: NeedClassificationPipeline
    redactor: Redactor
    encodings: CachedEncoding
    directory: ResponderDirectory
    search: NeedSearchKeeper
    data_dir: Path = field(default=Path("var"))

    @property
    def version(self) -> str:
        """The classifier version."""
        return self.pipeline.version

    @classmethod
    def build(cls, sessions: sessionmaker[Session], pipeline: NeedClassificationPipeline,
              redactor: Redactor, data_dir: Path, index_lock: threading.Lock | None = None,
              storage: ResponderStorage | None = None) -> ServingModel:
        """Wire a pipeline to the database's kept encodings and the responder index (where it
        lives is chosen here unless `storage` says)."""
        encodings = kept_encodings(sessions, pipeline.document_encoder)
        storage = storage if storage is not None else choose_responder_storage(sessions)
        directory = ResponderDirectory(sessions, pipeline, encodings, data_dir, index_lock, storage)
        return cls(pipeline, redactor, encodings, directory, NeedSearchKeeper(sessions, encodings),
                   data_dir)

    def successor(self, sessions: sessionmaker[Session],
                  pipeline: NeedClassificationPipeline) -> ServingModel:
        """The same wiring on another classifier version (sharing the index writer's lock and
        where the index lives)."""
        return ServingModel.build(sessions, pipeline, self.redactor, self.data_dir,
                                  self.directory.lock, self.directory.storage)
