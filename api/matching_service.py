"""Needs, responders and the indexes over them: the service behind the CLI (and the web API)."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.embedding_store import DatabaseEmbeddingStore
from api.tables import Need, NeedClassification, Responder
from api.validation import JurisdictionCode, LanguageCode, describe
from index.base import IndexMismatch
from index.matching import NeedQuery, Suggestion, match_need
from index.need_search import NeedSearchIndex, SearchableNeed, SearchResult
from index.responder_index import (
    ResponderEntry,
    ResponderIndex,
    build_responder_index,
    entry_from_profile,
)
from nlp.classify import Classification, NeedClassificationPipeline
from nlp.embedding_cache import CachedEncoding
from nlp.redact import Redactor
from training.datasets import DatasetError, read_jsonl

logger = logging.getLogger("needmatch.service")


class NeedInput(BaseModel):
    """A need as posted: id, narrative, where and in what language."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=100_000)
    jurisdiction: JurisdictionCode
    language: LanguageCode
    urgency: str = "normal"

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str) -> str:
        if value not in {"low", "normal", "high"}:
            raise ValueError("must be low, normal or high")
        return value


def read_need_rows(path: Path) -> list[NeedInput]:
    """Validate every line first; the message names the line but never quotes the narrative."""
    rows = []
    for number, value in read_jsonl(path):
        try:
            rows.append(NeedInput.model_validate(value))
        except ValidationError as error:
            raise DatasetError(f"{path}:{number}: {describe(error)}") from None
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


@dataclass(frozen=True)
class MatchOutcome:
    """The redacted need and its suggestions."""

    id: str
    redacted_text: str
    labels: list[str]
    suggestions: list[Suggestion]


class NeedmatchService:
    """Redaction, classification, storage and the indexes, wired together."""

    def __init__(self, sessions: sessionmaker[Session], pipeline: NeedClassificationPipeline,
                 redactor: Redactor, data_dir: Path, index_lock: threading.Lock | None = None) -> None:
        self.sessions = sessions
        self.pipeline = pipeline
        self.redactor = redactor
        self.index_dir = data_dir / "index" / "responders"
        self._index: ResponderIndex | None = None
        # Shared with the service this one replaces after a model swap: one writer of the index.
        self.index_lock = index_lock if index_lock is not None else threading.Lock()
        # Encodings of stored texts (redacted needs, responder expertise), never of raw narratives.
        self.stored_encodings = CachedEncoding(pipeline.document_encoder,
                                               DatabaseEmbeddingStore(sessions))
        self._thresholds = dict(zip(pipeline.classifier.labels,
                                    pipeline.classifier.thresholds.tolist(), strict=True))

    # -- responders -------------------------------------------------------------------------
    @staticmethod
    def _stamp(responder: Responder) -> str:
        return responder.updated_at.isoformat() if responder.updated_at else ""

    def _entry(self, responder: Responder) -> ResponderEntry:
        last = responder.last_referral_at.timestamp() if responder.last_referral_at else 0.0
        return entry_from_profile(responder.profile(), responder.inferred_categories,
                                  self._thresholds, last, self._stamp(responder))

    def responder_index(self) -> ResponderIndex:
        """The saved index brought up to date with the database.

        Changed, new and deleted responders are applied one by one (no rebuild); the index is
        rebuilt only when it is missing, damaged or made with another encoder or model.
        """
        with self.index_lock:
            return self._synchronised_index()

    def _synchronised_index(self) -> ResponderIndex:
        encoder = self.pipeline.document_encoder.encoder
        description = {"encoder": encoder.name, "model": self.pipeline.version}
        with self.sessions() as session:
            responders = {r.id: r for r in session.scalars(select(Responder))}
        try:
            index = self._index or ResponderIndex.load(self.index_dir, description)
        except (FileNotFoundError, IndexMismatch, KeyError, ValueError, TypeError):
            logger.info("responder index missing or from another encoder or model: rebuilding")
            index = build_responder_index(
                [(self._entry(r), r.expertise) for r in responders.values()],
                self.stored_encodings.encode, encoder.dimension,
            )
            self._save(index, description)
            logger.info("responder index built: %d responders", len(index))
            self._index = index
            return index
        indexed = {entry.id: entry.stamp for entry in index.entries.values()}
        removed = [identifier for identifier in indexed if identifier not in responders]
        changed = [r for r in responders.values() if indexed.get(r.id) != self._stamp(r)]
        for identifier in removed:
            index.remove(identifier)
        if changed:
            encoded = self.stored_encodings.encode([r.expertise for r in changed])
            for responder, item in zip(changed, encoded, strict=True):
                index.upsert(self._entry(responder), item)
        if removed or changed:
            self._save(index, description)
            logger.info("responder index updated: %d changed, %d removed", len(changed),
                        len(removed))
        self._index = index
        return index

    def _save(self, index: ResponderIndex, description: dict[str, str]) -> None:
        """Write to a fresh folder, then swap it in: readers never see a half-written index.

        A crash between the two renames leaves no index, which the next use rebuilds.
        """
        staging = self.index_dir.with_name(f".{self.index_dir.name}-{uuid.uuid4().hex}")
        index.save(staging, description)
        retired = self.index_dir.with_name(f".{self.index_dir.name}-old-{uuid.uuid4().hex}")
        if self.index_dir.exists():
            self.index_dir.rename(retired)
        staging.rename(self.index_dir)
        shutil.rmtree(retired, ignore_errors=True)

    # -- needs ------------------------------------------------------------------------------
    def match(self, needs: Sequence[NeedInput], k: int = 5) -> list[MatchOutcome]:
        """Redact, classify and match needs (nothing is stored)."""
        redactions = self.redactor.redact_batch([need.text for need in needs])
        texts = [redaction.text for redaction in redactions]
        return self._match_redacted(
            [(need.id, text, need.jurisdiction, need.language)
             for need, text in zip(needs, texts, strict=True)], k)

    def _match_redacted(
        self, needs: Sequence[tuple[str, str, str, str]], k: int
    ) -> list[MatchOutcome]:
        """Match (id, redacted text, jurisdiction, language) rows."""
        index = self.responder_index()
        texts = [text for _, text, _, _ in needs]
        encoded = self.pipeline.document_encoder.encode_batch(texts)
        classified = self.pipeline.classifier.classify_encoded(encoded, texts)
        outcomes = []
        for (identifier, text, jurisdiction, language), item, result in zip(
                needs, encoded, classified, strict=True):
            query = NeedQuery(item, result.scores, result.labels, jurisdiction, language)
            outcomes.append(MatchOutcome(identifier, text, result.labels,
                                         match_need(index, query, k)))
        logger.info("matched %d needs", len(needs))
        return outcomes

    def suggestions_for(self, need: Need, k: int = 5) -> list[Suggestion]:
        """Suggestions for a stored (already redacted) need."""
        return self._match_redacted([(need.id, need.text, need.jurisdiction, need.language)],
                                    k)[0].suggestions

    def publish(self, organization_id: int | None, text: str, jurisdiction: str, language: str,
                urgency: str, k: int = 5) -> tuple[Need, list[Suggestion]]:
        """Redact again (the poster may have skipped the preview), classify, store, match."""
        redacted = self.redactor.redact(text).text
        encoded = self.stored_encodings.encode([redacted])[0]
        result = self.pipeline.classifier.classify_encoded([encoded], [redacted])[0]
        need = Need(id=f"need-{uuid.uuid4().hex[:16]}", organization_id=organization_id,
                    text=redacted, labels=result.labels, scores=result.scores,
                    model_version=self.pipeline.version, jurisdiction=jurisdiction,
                    language=language, urgency=urgency, status="open")
        with self.sessions.begin() as session:
            session.add(need)
        logger.info("need %s published: %d labels", need.id, len(result.labels))
        # The sentences were embedded once; matching reuses them.
        query = NeedQuery(encoded, result.scores, result.labels, jurisdiction, language)
        return need, match_need(self.responder_index(), query, k)

    def import_needs(self, needs: Sequence[NeedInput], show_progress: bool = False) -> tuple[int, int]:
        """Redact, classify and store needs as open (upsert by id, one transaction)."""
        created = updated = 0
        prepared: list[tuple[NeedInput, str, Classification]] = []
        # Redact, embed and classify first: the embedding cache writes in its own transaction,
        # and SQLite allows one writer at a time.
        with tqdm(total=len(needs), desc="needs", unit="need", disable=not show_progress) as bar:
            for first in range(0, len(needs), 32):
                batch = needs[first : first + 32]
                texts = [r.text for r in self.redactor.redact_batch([n.text for n in batch])]
                results = self.pipeline.classifier.classify_encoded(
                    self.stored_encodings.encode(texts), texts)
                prepared.extend(zip(batch, texts, results, strict=True))
                bar.update(len(batch))
        with self.sessions.begin() as session:
            for need, text, result in prepared:
                row = session.get(Need, need.id)
                if row is None:
                    row = Need(id=need.id)
                    session.add(row)
                    created += 1
                else:
                    updated += 1
                row.text, row.labels, row.scores = text, result.labels, result.scores
                row.model_version = self.pipeline.version
                row.jurisdiction, row.language = need.jurisdiction, need.language
                row.urgency, row.status = need.urgency, "open"
        logger.info("needs import: %d new, %d updated", created, updated)
        return created, updated

    def reclassify(self, statuses: Sequence[str] = ("open", "matched", "closed"),
                   show_progress: bool = False, batch: int = 64) -> tuple[int, int]:
        """Classify stored needs again with this model; earlier categories go to history.

        Returns (needs looked at, needs whose categories or scores changed).
        """
        with self.sessions() as session:
            identifiers = list(session.scalars(select(Need.id).where(Need.status.in_(statuses))
                                               .order_by(Need.id)))
        changed = 0
        with tqdm(total=len(identifiers), desc="reclassify", unit="need",
                  disable=not show_progress) as bar:
            for first in range(0, len(identifiers), batch):
                chunk = identifiers[first : first + batch]
                with self.sessions() as session:
                    texts = dict(session.execute(select(Need.id, Need.text)
                                                 .where(Need.id.in_(chunk))).all())
                # Encoded outside the write transaction (the cache writes in its own).
                results = dict(zip(texts, self.pipeline.classifier.classify_encoded(
                    self.stored_encodings.encode(list(texts.values())), list(texts.values())),
                    strict=True))
                with self.sessions.begin() as session:
                    for need in session.scalars(select(Need).where(Need.id.in_(list(texts)))):
                        result = results[need.id]
                        if need.text != texts[need.id] or (need.model_version == self.pipeline.version
                                                           and need.labels == result.labels
                                                           and need.scores == result.scores):
                            continue  # edited meanwhile, or nothing new
                        session.add(NeedClassification(
                            need_id=need.id, labels=need.labels, scores=need.scores,
                            model_version=need.model_version))
                        need.labels, need.scores = result.labels, result.scores
                        need.model_version = self.pipeline.version
                        changed += 1
                bar.update(len(chunk))
        logger.info("reclassified %d needs with model %s: %d changed", len(identifiers),
                    self.pipeline.version, changed)
        return len(identifiers), changed

    def rescore_responders(self) -> int:
        """Infer every responder's categories again with this model (a new model may know new
        categories); returns how many profiles changed. The index follows on its next use."""
        with self.sessions() as session:
            expertise = dict(session.execute(select(Responder.id, Responder.expertise)).all())
        if not expertise:
            return 0
        texts = list(expertise.values())
        scores = dict(zip(expertise, (result.scores for result in self.pipeline.classifier
                                      .classify_encoded(self.stored_encodings.encode(texts), texts)),
                          strict=True))
        changed = 0
        with self.sessions.begin() as session:
            for responder in session.scalars(select(Responder).where(Responder.id.in_(list(scores)))):
                if responder.expertise == expertise[responder.id] and \
                        responder.inferred_categories != scores[responder.id]:
                    responder.inferred_categories = scores[responder.id]
                    changed += 1
        logger.info("responders re-scored with model %s: %d changed", self.pipeline.version, changed)
        return changed

    def search(self, queries: Sequence[str], k: int = 10) -> list[list[SearchResult]]:
        """Hybrid search over open needs for each query."""
        with self.sessions() as session:
            needs = list(session.scalars(select(Need).where(Need.status == "open").order_by(Need.id)))
        encoder = self.pipeline.document_encoder
        encoded = self.stored_encodings.encode([need.text for need in needs]) if needs else []
        index = NeedSearchIndex([
            SearchableNeed(n.id, n.text, n.labels, n.jurisdiction, n.language, item)
            for n, item in zip(needs, encoded, strict=True)
        ])
        query_encoded = encoder.encode_batch(list(queries))
        query_scores = self.pipeline.classifier.classify_encoded(query_encoded, list(queries))
        dimension = encoder.encoder.dimension
        results = [
            index.search(query, item.pooled()[:dimension], scores.scores, k)
            for query, item, scores in zip(queries, query_encoded, query_scores, strict=True)
        ]
        logger.info("searched %d queries over %d open needs", len(queries), len(needs))
        return results


def suggestion_json(suggestion: Suggestion) -> dict[str, object]:
    """The contract's shape of one suggestion."""
    return {"responder_id": suggestion.responder_id, "score": suggestion.score,
            "explanation": suggestion.explanation}


def search_json(result: SearchResult) -> dict[str, object]:
    """The contract's shape of one search result."""
    return {"need_id": result.need_id, "score": result.score, "snippet": result.snippet,
            "score_parts": result.parts}


def dump(value: object) -> str:
    """JSON for the command line."""
    return json.dumps(value, ensure_ascii=False)
