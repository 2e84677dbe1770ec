"""The model a process serves with: the classification pipeline, the redactor, the kept encodings
and the responder index built for them.

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

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.search import NeedSearchKeeper
from api.storage.embedding_store import kept_encodings
from api.storage.responder_index_files import index_directory, load_index, save_index
from api.storage.tables import Responder
from index.responder_index import (
    ResponderEntry,
    ResponderIndex,
    build_responder_index,
    entry_from_profile,
)

if TYPE_CHECKING:  # types only: the models load in the background, not at import
    from nlp.classify import NeedClassificationPipeline
    from nlp.embedding_cache import CachedEncoding
    from nlp.encoding import EncodedText
    from nlp.redact import Redactor

logger = logging.getLogger("needmatch.service")


class ResponderDirectory:
    """The responder index kept in step with the database's profiles."""

    def __init__(self, sessions: sessionmaker[Session], pipeline: NeedClassificationPipeline,
                 encodings: CachedEncoding, data_dir: Path,
                 lock: threading.Lock | None = None) -> None:
        self.sessions = sessions
        self.pipeline = pipeline
        self.encodings = encodings
        self.directory = index_directory(data_dir)
        # Shared with the directory this one replaces after a model swap: one writer of the index.
        self.lock = lock if lock is not None else threading.Lock()
        self._index: ResponderIndex | None = None
        self._thresholds = dict(zip(pipeline.classifier.labels,
                                    pipeline.classifier.thresholds.tolist(), strict=True))

    @staticmethod
    def _stamp(responder: Responder) -> str:
        return responder.updated_at.isoformat() if responder.updated_at else ""

    def _entry(self, responder: Responder) -> ResponderEntry:
        last = responder.last_referral_at.timestamp() if responder.last_referral_at else 0.0
        return entry_from_profile(responder.profile(), responder.inferred_categories,
                                  self._thresholds, last, self._stamp(responder))

    def index(self) -> ResponderIndex:
        """The saved index brought up to date with the database.

        Changed, new and deleted responders are applied one by one (no rebuild); the index is
        rebuilt only when it is missing, damaged or made with another encoder or model.
        """
        with self.lock:
            return self._synchronised()

    def rebuild(self, on_progress: Callable[[int, int], object] | None = None) -> ResponderIndex:
        """Embed every profile again with this model's encoder and replace the saved index."""
        with self.lock:
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
              redactor: Redactor, data_dir: Path,
              index_lock: threading.Lock | None = None) -> ServingModel:
        """Wire a pipeline to the database's kept encodings and the responder index."""
        encodings = kept_encodings(sessions, pipeline.document_encoder)
        directory = ResponderDirectory(sessions, pipeline, encodings, data_dir, index_lock)
        return cls(pipeline, redactor, encodings, directory, NeedSearchKeeper(sessions, encodings),
                   data_dir)

    def successor(self, sessions: sessionmaker[Session],
                  pipeline: NeedClassificationPipeline) -> ServingModel:
        """The same wiring on another classifier version (sharing the index writer's lock)."""
        return ServingModel.build(sessions, pipeline, self.redactor, self.data_dir,
                                  self.directory.lock)
