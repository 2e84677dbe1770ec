"""Evaluating a classifier beside a TF-IDF + logistic-regression baseline trained on the same data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.classify import NeedClassifier, PartialLabelLogistic
from nlp.encoding import DocumentEncoder
from nlp.languages import detect_language
from training.datasets import LabelledRow, label_matrix
from training.fit import encode_rows
from training.metrics import LabelScores, label_scores, macro_f1, mean_balanced_accuracy, micro_f1


@dataclass
class SystemResult:
    """One system's scores on the evaluation rows."""

    name: str
    scores: list[LabelScores]
    macro_f1: float
    micro_f1: float
    mean_balanced_accuracy: float
    # language -> (macro-F1, rows); languages whose rows hold no known positive are left out
    macro_f1_by_language: dict[str, tuple[float, int]] = field(default_factory=dict)
    # language -> micro-F1 (every decision of the language's rows pooled)
    micro_f1_by_language: dict[str, float] = field(default_factory=dict)


@dataclass
class EvaluationReport:
    """The model and its baseline on the same rows."""

    labels: list[str]
    rows: int
    partially_labelled: bool
    systems: list[SystemResult]


def predict_matrix(
    classifier: NeedClassifier, document_encoder: DocumentEncoder, texts: Sequence[str],
    show_progress: bool = True,
) -> np.ndarray:
    """0/1 predictions per row and label, at the classifier's own thresholds."""
    encoded = encode_rows(document_encoder, texts, show_progress)
    probabilities = classifier.probabilities(encoded, texts)
    return classifier.decide(probabilities, texts)


def baseline_matrix(
    train_rows: Sequence[LabelledRow], test_texts: Sequence[str], labels: Sequence[str]
) -> np.ndarray:
    """TF-IDF (word 1-2 grams) + one balanced logistic regression per label, threshold 0.5."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), strip_accents="unicode")
    train_features = vectorizer.fit_transform([row.text for row in train_rows])
    model = PartialLabelLogistic(C=4.0).fit(train_features, label_matrix(train_rows, labels))
    return model.predict(vectorizer.transform(test_texts))


def system_result(
    name: str, truth: np.ndarray, predicted: np.ndarray, labels: Sequence[str],
    languages: Sequence[str],
) -> SystemResult:
    scores = label_scores(truth, predicted, labels)
    by_language, micro_by_language = {}, {}
    for language in sorted(set(languages)):
        mask = np.array([value == language for value in languages])
        if (truth[mask] == 1).any():
            scores_here = label_scores(truth[mask], predicted[mask], labels)
            by_language[language] = (macro_f1(scores_here), int(mask.sum()))
            micro_by_language[language] = micro_f1(truth[mask], predicted[mask])
    return SystemResult(
        name, scores, macro_f1(scores), micro_f1(truth, predicted),
        mean_balanced_accuracy(scores), by_language, micro_by_language,
    )


def evaluate(
    classifier: NeedClassifier,
    document_encoder: DocumentEncoder,
    rows: Sequence[LabelledRow],
    train_rows: Sequence[LabelledRow] | None,
    show_progress: bool = True,
) -> EvaluationReport:
    """Score the classifier (and the baseline, when training rows are given) on labelled rows."""
    labels = classifier.labels
    truth = label_matrix(rows, labels)
    texts = [row.text for row in rows]
    languages = [row.language or detect_language(row.text) for row in rows]
    systems = [
        system_result("needmatch", truth, predict_matrix(classifier, document_encoder, texts,
                                                   show_progress), labels, languages)
    ]
    if train_rows:
        systems.append(
            system_result("tfidf-baseline", truth, baseline_matrix(train_rows, texts, labels),
                    labels, languages)
        )
    partial = any(row.negatives is not None for row in rows)
    return EvaluationReport(list(labels), len(rows), partial, systems)


def format_report(report: EvaluationReport) -> str:
    """A plain-text table: per label P/R/F1 (and balanced accuracy) for every system."""
    lines = [f"rows: {report.rows}   labels: {len(report.labels)}"]
    header = f"{'label':<24}{'known':>6}{'pos':>5}"
    for system in report.systems:
        header += f" | {system.name[:14]:>14}  P     R     F1"
        header += "    BA" if report.partially_labelled else ""
    lines.append(header)
    for index, label in enumerate(report.labels):
        first = report.systems[0].scores[index]
        line = f"{label:<24}{first.known:>6}{first.support:>5}"
        for system in report.systems:
            score = system.scores[index]
            line += f" | {'':>14} {score.precision:5.3f} {score.recall:5.3f} {score.f1:5.3f}"
            if report.partially_labelled:
                line += f" {score.balanced_accuracy:5.3f}"
        lines.append(line)
    for system in report.systems:
        lines.append(
            f"{system.name}: macro-F1 {system.macro_f1:.4f}  micro-F1 {system.micro_f1:.4f}"
            + (f"  mean balanced accuracy {system.mean_balanced_accuracy:.4f}"
               if report.partially_labelled else "")
        )
        if len(system.macro_f1_by_language) > 1:
            per_language = "  ".join(
                f"{language} {value:.4f} ({rows} rows)"
                for language, (value, rows) in system.macro_f1_by_language.items()
            )
            lines.append(f"{system.name}: macro-F1 by language: {per_language}")
            micro = "  ".join(f"{language} {value:.3f}"
                              for language, value in system.micro_f1_by_language.items())
            lowest = min(system.micro_f1_by_language.items(), key=lambda item: item[1])
            lines.append(f"{system.name}: micro-F1 by language: {micro}  (lowest: {lowest[0]})")
    return "\n".join(lines)


def write_chart(report: EvaluationReport, path: Path, metric: str | None = None) -> Path:
    """A PNG bar chart of per-label F1 (or balanced accuracy for partial labels), per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if metric is None:
        metric = "balanced_accuracy" if report.partially_labelled else "f1"
    positions = np.arange(len(report.labels))
    width = 0.8 / len(report.systems)
    figure, axes = plt.subplots(figsize=(max(8, len(report.labels) * 0.7), 5))
    for offset, system in enumerate(report.systems):
        values = [getattr(score, metric) for score in system.scores]
        axes.bar(positions + offset * width, values, width, label=system.name)
    axes.set_xticks(positions + width * (len(report.systems) - 1) / 2)
    axes.set_xticklabels(report.labels, rotation=45, ha="right")
    axes.set_ylim(0, 1)
    axes.set_ylabel(metric.replace("_", " "))
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
