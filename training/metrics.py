"""Multi-label metrics over partially labelled rows (-1 = unknown is skipped per label)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.taxonomy import UNKNOWN


@dataclass(frozen=True)
class LabelScores:
    """Scores of one label over the rows where it is known."""

    label: str
    precision: float
    recall: float
    f1: float
    balanced_accuracy: float
    support: int  # known positives
    known: int  # rows where the label is known


def _safe_divide(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def label_scores(
    truth: np.ndarray, predicted: np.ndarray, labels: Sequence[str]
) -> list[LabelScores]:
    """Precision, recall, F1 and balanced accuracy per label."""
    scores = []
    for index, label in enumerate(labels):
        known = truth[:, index] != UNKNOWN
        gold = truth[known, index] == 1
        guess = predicted[known, index] == 1
        true_positive = float(np.sum(gold & guess))
        false_positive = float(np.sum(~gold & guess))
        false_negative = float(np.sum(gold & ~guess))
        true_negative = float(np.sum(~gold & ~guess))
        precision = _safe_divide(true_positive, true_positive + false_positive)
        recall = _safe_divide(true_positive, true_positive + false_negative)
        specificity = _safe_divide(true_negative, true_negative + false_positive)
        scores.append(
            LabelScores(
                label=label,
                precision=precision,
                recall=recall,
                f1=_safe_divide(2 * precision * recall, precision + recall),
                balanced_accuracy=(recall + specificity) / 2,
                support=int(gold.sum()),
                known=int(known.sum()),
            )
        )
    return scores


def macro_f1(scores: Sequence[LabelScores]) -> float:
    """Mean F1 over labels that have at least one known positive."""
    present = [score.f1 for score in scores if score.support > 0]
    return float(np.mean(present)) if present else 0.0


def micro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """F1 over all known (row, label) cells."""
    known = truth != UNKNOWN
    gold = (truth == 1) & known
    guess = (predicted == 1) & known
    true_positive = float(np.sum(gold & guess))
    precision = _safe_divide(true_positive, float(guess.sum()))
    recall = _safe_divide(true_positive, float(gold.sum()))
    return _safe_divide(2 * precision * recall, precision + recall)


def mean_balanced_accuracy(scores: Sequence[LabelScores]) -> float:
    """Mean balanced accuracy over labels known as both positive and negative somewhere."""
    usable = [s.balanced_accuracy for s in scores if 0 < s.support < s.known]
    return float(np.mean(usable)) if usable else 0.0


def best_threshold(probabilities: np.ndarray, truth: np.ndarray, objective: str) -> float:
    """Threshold on known rows that maximises F1 or balanced accuracy (ties: nearest 0.5)."""
    known = truth != UNKNOWN
    gold = truth[known] == 1
    values = probabilities[known]
    if gold.sum() < 3 or (~gold).sum() < 3:
        return 0.5
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    best, best_value = 0.5, -1.0
    for threshold in sorted(grid, key=lambda t: abs(t - 0.5)):
        guess = values >= threshold
        true_positive = float(np.sum(gold & guess))
        recall = true_positive / float(gold.sum())
        if objective == "balanced_accuracy":
            value = (recall + float(np.sum(~gold & ~guess)) / float((~gold).sum())) / 2
        else:
            precision = _safe_divide(true_positive, float(guess.sum()))
            value = _safe_divide(2 * precision * recall, precision + recall)
        if value > best_value + 1e-9:
            best, best_value = float(threshold), value
    return best
