"""Retraining: a candidate fitted on the shipped and admin-labelled postings, measured against the
live model on a fixed held-out split, and the promotion gate between them.

The held-out split is fixed so that versions are comparable: the shipped held-out file (never
trained on) plus every labelled posting whose id hashes into the held-out share. A posting's
side never changes, and both models are scored on the very same rows at every retrain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classify import NeedClassifier
from nlp.encoding import DocumentEncoder, EncodedText
from training.datasets import LabelledRow, data_hash, label_matrix
from training.evaluate import EvaluationReport, system_result, write_chart
from training.fit import Progress, TrainedModel, TrainingConfig, train_classifier
from training.metrics import LabelScores
from training.shipped import DATA

HELD_OUT_FILE = DATA / "eval_multilingual.jsonl"

Encode = Callable[[Sequence[str]], list[EncodedText]]


@dataclass(frozen=True)
class RetrainConfig:
    """What decides a retrain besides the data (recorded in the candidate's manifest)."""

    training: TrainingConfig = field(default_factory=lambda: TrainingConfig(threshold_objective="f1"))
    # One labelled posting in this many (by a hash of its id) is held out, never trained on.
    held_out_share: int = 5
    # Positive training examples an added category needs before the classifier learns it.
    min_examples: int = 20
    # The gate: the candidate's held-out macro-F1 may trail the live model's by at most this,
    # and no category's F1 may drop by more than max_category_drop.
    tolerance: float = 0.01
    max_category_drop: float = 0.05


def in_held_out(posting_id: str, share: int) -> bool:
    """Whether a labelled posting belongs to the held-out split (stable for its id)."""
    return int(hashlib.sha256(posting_id.encode()).hexdigest()[:8], 16) % share == 0


def learnable_labels(rows: Sequence[LabelledRow], base: Sequence[str], min_examples: int
                     ) -> tuple[list[str], dict[str, int]]:
    """The base categories plus every other category with at least min_examples positives.

    Returns the labels to learn and the positive count of every category seen.
    """
    counts: dict[str, int] = dict.fromkeys(base, 0)
    for row in rows:
        for label in row.labels:
            counts[label] = counts.get(label, 0) + 1
        for label in row.negatives or ():
            counts.setdefault(label, 0)
    learn = [label for label in counts if label in base or counts[label] >= min_examples]
    return sorted(learn), counts


def restrict(rows: Sequence[LabelledRow], labels: Sequence[str]) -> list[LabelledRow]:
    """Rows with every label outside ``labels`` removed (positives and known negatives)."""
    keep = set(labels)
    return [replace(row, labels=tuple(label for label in row.labels if label in keep),
                    negatives=None if row.negatives is None
                    else tuple(label for label in row.negatives if label in keep))
            for row in rows]


@dataclass
class HeldOutScores:
    """A model's per-category scores on the held-out split."""

    scores: dict[str, LabelScores]

    def f1(self, labels: Sequence[str]) -> dict[str, float]:
        """F1 of each of these labels that has a known positive in the split."""
        return {label: self.scores[label].f1 for label in labels
                if label in self.scores and self.scores[label].support > 0}


def predictions(classifier: NeedClassifier, encoded: Sequence[EncodedText], texts: Sequence[str],
                labels: Sequence[str]) -> np.ndarray:
    """0/1 per row and label at the classifier's thresholds; 0 for labels it does not know."""
    probabilities = classifier.probabilities(encoded, texts)
    own = classifier.decide(probabilities, texts)
    result = np.zeros((len(texts), len(labels)), dtype=np.int8)
    for column, label in enumerate(labels):
        if label in classifier.labels:
            result[:, column] = own[:, classifier.labels.index(label)]
    return result


@dataclass
class GateDecision:
    """Whether the candidate may go live, and why."""

    passed: bool
    compared_labels: list[str]
    live_primary: float
    candidate_primary: float
    drops: dict[str, float]  # categories whose F1 fell by more than allowed: label -> drop
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        """For the manifest and the job report."""
        return asdict(self)


def gate(live: dict[str, float], candidate: dict[str, float], config: RetrainConfig) -> GateDecision:
    """Compare per-category held-out F1 over the categories both models are scored on."""
    labels = sorted(set(live) & set(candidate))
    live_primary = float(np.mean([live[label] for label in labels])) if labels else 0.0
    candidate_primary = float(np.mean([candidate[label] for label in labels])) if labels else 0.0
    reasons = []
    if candidate_primary < live_primary - config.tolerance:
        reasons.append(f"held-out macro-F1 {candidate_primary:.4f} is below the live model's "
                       f"{live_primary:.4f} by more than {config.tolerance}")
    drops = {label: round(live[label] - candidate[label], 4) for label in labels
             if live[label] - candidate[label] > config.max_category_drop}
    for label, drop in sorted(drops.items()):
        reasons.append(f"{label}: F1 drops by {drop:.4f} (allowed {config.max_category_drop})")
    return GateDecision(not reasons, labels, round(live_primary, 4), round(candidate_primary, 4),
                        drops, reasons)


@dataclass
class Candidate:
    """A fitted candidate with its held-out comparison against the live model."""

    trained: TrainedModel
    live: HeldOutScores
    candidate: HeldOutScores
    decision: GateDecision
    report: EvaluationReport
    label_counts: dict[str, int]

    def metrics(self) -> dict[str, Any]:
        """Held-out metrics, the primary one first (for metrics.json and the manifest)."""
        labels = self.report.labels
        return {
            "primary": "held_out_macro_f1",
            "held_out_macro_f1": self.decision.candidate_primary,
            "live_held_out_macro_f1": self.decision.live_primary,
            "held_out_per_label_f1": {k: round(v, 4) for k, v in self.candidate.f1(labels).items()},
            "live_held_out_per_label_f1": {k: round(v, 4) for k, v in self.live.f1(labels).items()},
            "held_out_rows": self.report.rows,
        }


def fit_candidate(
    train_rows: Sequence[LabelledRow],
    held_out_rows: Sequence[LabelledRow],
    base_labels: Sequence[str],
    encode: Encode,
    document_encoder: DocumentEncoder,
    live: NeedClassifier,
    config: RetrainConfig,
    progress: Progress,
    show_progress: bool = False,
    sources: Sequence[str] = (),
) -> Candidate:
    """Fit a candidate on the training rows and score it and the live model on the held-out rows."""
    labels, counts = learnable_labels(train_rows, base_labels, config.min_examples)
    train_rows = restrict(train_rows, labels)
    held_out_rows = restrict(held_out_rows, labels)
    texts = [row.text for row in train_rows] + [row.text for row in held_out_rows]
    encoded = encode(texts)
    trained = train_classifier(
        train_rows, document_encoder, config.training, sources=sources,
        show_progress=show_progress, encoded=encoded[: len(train_rows)], progress=progress,
    )
    progress("evaluating", 0, 1)
    held_encoded = encoded[len(train_rows):]
    held_texts = texts[len(train_rows):]
    truth = label_matrix(held_out_rows, labels)
    languages = [row.language or "" for row in held_out_rows]
    systems = [system_result(name, truth, predictions(model, held_encoded, held_texts, labels),
                             labels, languages)
               for name, model in (("live", live), ("candidate", trained.classifier))]
    report = EvaluationReport(labels, len(held_out_rows), False, systems)
    live_scores = HeldOutScores({s.label: s for s in systems[0].scores})
    candidate_scores = HeldOutScores({s.label: s for s in systems[1].scores})
    # Compared on the categories the live model knows; an added category is reported apart.
    decision = gate(live_scores.f1(live.labels), candidate_scores.f1(live.labels), config)
    progress("evaluating", 1, 1)
    return Candidate(trained, live_scores, candidate_scores, decision, report, counts)


def write_comparison_chart(candidate: Candidate, path: Path) -> Path:
    """PNG of per-category held-out F1, live model beside the candidate."""
    return write_chart(candidate.report, path, metric="f1")


def held_out_description(rows: Sequence[LabelledRow], database_rows: int) -> dict[str, Any]:
    """What the held-out split was, for the manifest (hash, sizes, file)."""
    return {"file": HELD_OUT_FILE.name, "rows": len(rows), "database_rows": database_rows,
            "sha256": data_hash(rows), "macro_f1_over": "categories the live model knows"}
