import numpy as np

from nlp.taxonomy import UNKNOWN
from training.metrics import best_threshold, label_scores, macro_f1, micro_f1


def test_scores_skip_unknown_cells() -> None:
    truth = np.array([[1], [0], [UNKNOWN], [1]], dtype=np.int8)
    predicted = np.array([[1], [1], [1], [0]], dtype=np.int8)
    (score,) = label_scores(truth, predicted, ["x"])
    assert score.known == 3 and score.support == 2
    assert score.precision == 0.5 and score.recall == 0.5
    assert score.balanced_accuracy == 0.25  # recall 0.5, specificity 0.0


def test_macro_and_micro() -> None:
    truth = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)
    predicted = np.array([[1, 0], [0, 0], [1, 1]], dtype=np.int8)
    scores = label_scores(truth, predicted, ["a", "b"])
    assert np.isclose(macro_f1(scores), (1.0 + 2 / 3) / 2)
    assert np.isclose(micro_f1(truth, predicted), 2 * 0.75 / 1.75)


def test_best_threshold_separates_the_classes() -> None:
    probabilities = np.array([0.1, 0.15, 0.2, 0.3, 0.32, 0.35, 0.6, 0.7])
    truth = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=np.int8)
    threshold = best_threshold(probabilities, truth, "f1")
    assert 0.3 < threshold <= 0.32
    assert best_threshold(probabilities[:3], truth[:3], "f1") == 0.5  # too few to choose
