"""Retraining from the shipped postings and the admins' labels, the promotion gate, and the
postings most worth labelling next (shared by the command line and the web API)."""

from __future__ import annotations

import json
import logging
import math
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import DomainError, RetrainRunning
from api.services.jobs import RETRAIN, JobProgress, create_job, finish_job, in_background
from api.services.labels import labelled_rows
from api.services.models import ModelRegistry
from api.storage.embedding_store import kept_encodings
from api.storage.tables import Case, CaseLabel, RetrainJob
from nlp.classifier_store import save_classifier
from nlp.classify import NeedClassificationPipeline
from nlp.encoder import SentenceEncoder
from nlp.taxonomy import CATEGORY_IDS
from training.datasets import DatasetError, LabelledRow, load_labelled
from training.retrain import (
    HELD_OUT_FILE,
    Candidate,
    RetrainConfig,
    fit_candidate,
    held_out_description,
    in_held_out,
    write_comparison_chart,
)
from training.shipped import SHIPPED_TRAINING

logger = logging.getLogger("needmatch.retrain")


@dataclass
class RetrainSources:
    """Where the labelled postings come from besides the database."""

    training_files: Sequence[Path] = field(default_factory=lambda: list(SHIPPED_TRAINING))
    held_out_file: Path = field(default_factory=lambda: HELD_OUT_FILE)


@dataclass
class RetrainOutcome:
    """What a retrain did (also stored as the job's report)."""

    status: str  # promoted, refused, unchanged
    version: str
    live_before: str
    live_after: str
    decision: dict[str, Any]
    metrics: dict[str, Any]
    categories: dict[str, int]
    rows: dict[str, int]
    seconds: float
    message: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


class Retrainer:
    """Fits a candidate, writes it as a new version, and promotes it if the gate passes."""

    def __init__(self, sessions: sessionmaker[Session], registry: ModelRegistry,
                 config: RetrainConfig | None = None, sources: RetrainSources | None = None) -> None:
        self.sessions = sessions
        self.registry = registry
        self.config = config or RetrainConfig()
        self.sources = sources or RetrainSources()
        self._running = threading.Lock()

    def create_job(self, user_id: int | None, force_reason: str | None, live_version: str) -> int:
        """A queued job row; refuses a second job while one is queued or running.

        A job unfinished after ABANDONED_AFTER was left by a process that stopped: it is marked
        failed so that it no longer blocks retraining.
        """
        return create_job(self.sessions, RETRAIN, user_id, RetrainRunning,
                          force_reason=force_reason, live_before=live_version)

    def run(self, job_id: int, live: NeedClassificationPipeline, show_progress: bool = False
            ) -> RetrainOutcome:
        """Run a job to its end; the job row says how it ended (failed, with the reason, too)."""
        if not self._running.acquire(blocking=False):
            raise RetrainRunning("a retrain is already running in this process")
        progress = JobProgress(self.sessions, job_id, show_progress)
        try:
            with self.sessions() as session:
                job = session.get(RetrainJob, job_id)
                force_reason = job.force_reason if job is not None else None
            outcome = self._retrain(live, force_reason, progress)
        except Exception as error:
            # Our own errors name files, lines and categories, never text; others are unknown.
            known = isinstance(error, DatasetError | ValueError | DomainError)
            finish_job(self.sessions, job_id, "failed",
                       f"{type(error).__name__}: {error}" if known else type(error).__name__)
            logger.error("retrain job %d failed: %s", job_id, type(error).__name__)
            raise
        finally:
            progress.close()
            self._running.release()
        finish_job(self.sessions, job_id, outcome.status, outcome.message, outcome.as_dict(),
                   outcome.version)
        logger.info("retrain job %d: %s (%s)", job_id, outcome.status, outcome.version)
        return outcome

    def start(self, job_id: int, live: NeedClassificationPipeline,
              then: Callable[[], object] | None = None) -> threading.Thread:
        """Run a job in a background thread; `then` runs after it (e.g. swap to the new model)."""

        def work() -> None:
            self.run(job_id, live)
            if then is not None:
                then()

        return in_background(work, f"retrain-{job_id}")

    def collect(self) -> tuple[list[LabelledRow], list[LabelledRow], dict[str, int]]:
        """Training rows, held-out rows, and their counts by source."""
        shipped = load_labelled(list(self.sources.training_files))
        held_file = load_labelled([self.sources.held_out_file])
        with self.sessions() as session:
            database = labelled_rows(session)
        share = self.config.held_out_share
        database_train = [row for row in database if not in_held_out(row.id or "", share)]
        database_held = [row for row in database if in_held_out(row.id or "", share)]
        counts = {"shipped_training": len(shipped), "database_training": len(database_train),
                  "held_out_file": len(held_file), "database_held_out": len(database_held)}
        return shipped + database_train, held_file + database_held, counts

    def _retrain(self, live: NeedClassificationPipeline, force_reason: str | None,
                 progress: JobProgress) -> RetrainOutcome:
        started = time.perf_counter()
        progress("collecting labels", 0, 1)
        train_rows, held_rows, counts = self.collect()
        progress("collecting labels", 1, 1)
        cache = kept_encodings(self.sessions, live.document_encoder)

        def encode(texts: Sequence[str]) -> list[Any]:
            return cache.encode(texts, on_chunk=lambda done, total: progress("embedding", done, total))

        base = sorted(set(CATEGORY_IDS) | set(live.classifier.labels))
        sources = [*map(str, self.sources.training_files),
                   f"database: {counts['database_training']} labelled postings"]
        candidate = fit_candidate(train_rows, held_rows, base, encode, live.document_encoder,
                                  live.classifier, self.config, progress, sources=sources)
        version = candidate.trained.manifest["version"]
        live_before = live.version
        decision = candidate.decision
        categories = dict(candidate.label_counts)
        metrics = candidate.metrics()
        common = dict(version=version, live_before=live_before, decision=decision.as_dict(),
                      metrics=metrics, categories=categories, rows=counts)
        if version == live_before:
            return RetrainOutcome("unchanged", live_after=live_before,
                                  seconds=time.perf_counter() - started,
                                  message="same data and configuration as the live model", **common)
        progress("saving", 0, 1)
        self._save(candidate, held_rows, counts, force_reason, live.document_encoder.encoder)
        progress("saving", 1, 1)
        if decision.passed or force_reason:
            reason = ("passed the gate: " + self._gate_summary(candidate) if decision.passed
                      else f"forced past the gate ({'; '.join(decision.reasons)}): {force_reason}")
            self.registry.promote(version, reason, forced=not decision.passed)
            status, live_after = "promoted", version
        else:
            reason = "refused by the gate: " + "; ".join(decision.reasons)
            status, live_after = "refused", live_before
        return RetrainOutcome(status, live_after=live_after, seconds=time.perf_counter() - started,
                              message=reason, **common)

    @staticmethod
    def _gate_summary(candidate: Candidate) -> str:
        decision = candidate.decision
        return (f"held-out macro-F1 {decision.candidate_primary:.4f} vs live "
                f"{decision.live_primary:.4f}, no category dropped too far")

    def _save(self, candidate: Candidate, held_rows: Sequence[LabelledRow], counts: dict[str, int],
              force_reason: str | None, encoder: SentenceEncoder) -> Path:
        """Write the version to a fresh folder, then move it into place (never half a version)."""
        manifest = dict(candidate.trained.manifest)
        version = manifest["version"]
        target = self.registry.root / version
        if target.exists():
            return target
        manifest["metrics"] = {**candidate.metrics(), "cross_validation": manifest["metrics"]}
        manifest["held_out"] = held_out_description(held_rows, counts["database_held_out"])
        manifest["gate"] = {**candidate.decision.as_dict(), "tolerance": self.config.tolerance,
                            "max_category_drop": self.config.max_category_drop,
                            "forced_reason": None if candidate.decision.passed else force_reason}
        manifest["retrain"] = {"rows": counts, "min_examples": self.config.min_examples,
                               "held_out_share": self.config.held_out_share,
                               "positives_by_category": candidate.label_counts}
        staging = self.registry.root / f".{version}-{uuid.uuid4().hex[:8]}"
        save_classifier(candidate.trained.classifier, staging, encoder, manifest)
        (staging / "metrics.json").write_text(json.dumps(manifest["metrics"], indent=2) + "\n")
        (staging / "config.json").write_text(json.dumps(manifest["config"], indent=2) + "\n")
        write_comparison_chart(candidate, staging / "held_out_f1.png")
        try:
            staging.rename(target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
        self.registry.store(target)  # with versions in the database, every process finds it there
        return target


def uncertain_postings(sessions: sessionmaker[Session], pipeline: NeedClassificationPipeline,
                       k: int, pool: int = 5000) -> list[dict[str, Any]]:
    """The postings whose categories the live model is least sure of (closest to a threshold).

    Looks at the newest `pool` postings. Postings whose every category an admin already
    decided are left out; so are categories already decided on a posting.
    """
    with sessions() as session:
        needs = list(session.scalars(select(Case).where(Case.purged_at.is_(None))
                                     .order_by(Case.created_at.desc(), Case.id).limit(pool)))
        decided: dict[str, set[str]] = {}
        for need_id, category in session.execute(select(CaseLabel.case_id, CaseLabel.category)
                                                 .where(CaseLabel.confirmed.is_(True))):
            decided.setdefault(need_id, set()).add(category)
    labels = pipeline.classifier.labels
    needs = [need for need in needs if not set(labels) <= decided.get(need.id, set())]
    if not needs:
        return []
    cache = kept_encodings(sessions, pipeline.document_encoder)
    texts = [need.text for need in needs]
    probabilities = pipeline.classifier.probabilities(cache.encode(texts), texts)
    ranked = []
    for need, row in zip(needs, probabilities, strict=True):
        thresholds = pipeline.classifier.thresholds_for(need.text)
        margins = [(abs(_logit(float(p)) - _logit(float(t))), name, float(p), float(t))
                   for p, t, name in zip(row, thresholds, labels, strict=True)
                   if name not in decided.get(need.id, set())]
        margin, category, probability, threshold = min(margins)
        predicted = [name for name, p, t in zip(labels, row, thresholds, strict=True) if p >= t]
        ranked.append((margin, need.id, need, category, probability, threshold, predicted))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [{"case_id": need.id, "text": need.text, "status": need.status,
             "uncertain_category": category, "score": round(probability, 4),
             "threshold": round(threshold, 4), "margin": round(margin, 4), "predicted": predicted}
            for margin, _, need, category, probability, threshold, predicted in ranked[:k]]


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))
