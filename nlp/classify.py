"""Multi-label need classification over sentence embeddings and lexical features, with evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlp.encoding import DocumentEncoder, EncodedText
from nlp.languages import detect_language
from nlp.lexical import LexicalFeaturizer
from nlp.taxonomy import UNKNOWN

MAX_EVIDENCE = 3


def _nnz(X: sp.spmatrix | np.ndarray) -> int:
    """Stored values of a sparse matrix, non-zero values of a dense one."""
    if isinstance(X, np.ndarray):
        return int(np.count_nonzero(X))
    return int(X.nnz)


def _fit_one_label(X: sp.spmatrix | np.ndarray, targets: np.ndarray, C: float,
                   class_weight: str | None, max_iter: int) -> tuple[np.ndarray, float]:
    """One label's logistic regression (a module function, so that worker processes can run it)."""
    model = LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, solver="liblinear")
    model.fit(X, targets)
    return model.coef_[0], float(model.intercept_[0])


class PartialLabelLogistic(ClassifierMixin, BaseEstimator):
    """One logistic regression per label, each fitted only on rows where that label is known.

    ``Y`` holds 1 (positive), 0 (negative) or -1 (unknown) per row and label.
    """

    def __init__(self, C: float = 4.0, class_weight: str | None = "balanced", max_iter: int = 3000,
                 n_jobs: int = 1):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        # Labels are fitted independently, n_jobs at a time.
        self.n_jobs = n_jobs

    def fit(self, X: sp.spmatrix | np.ndarray, Y: np.ndarray) -> PartialLabelLogistic:
        """Fit every label's model; a label with one class seen gets a constant prediction."""
        Y = np.asarray(Y)
        n_labels = Y.shape[1]
        self.coef_ = np.zeros((n_labels, X.shape[1]), dtype=np.float32)
        self.intercept_ = np.zeros(n_labels, dtype=np.float32)

        fitted_labels = []
        for label in range(n_labels):
            targets = Y[Y[:, label] != UNKNOWN, label]
            if targets.size == 0 or targets.min() == targets.max():
                seen_positive = targets.size > 0 and targets[0] == 1
                self.intercept_[label] = 4.0 if seen_positive else -4.0
            else:
                fitted_labels.append(label)

        def task(label: int) -> tuple[sp.spmatrix | np.ndarray, np.ndarray]:
            known = Y[:, label] != UNKNOWN
            # Slicing copies the matrix: skipped when every row is known (made lazily, a few
            # at a time, so that partial labels do not hold one copy per label at once).
            return (X if known.all() else X[known]), Y[known, label]

        # liblinear converts its input holding the GIL, so on large data separate processes
        # (which share the matrix through memory maps) beat threads: 1.4x on 5,000 postings.
        backend = "loky" if self.n_jobs != 1 and _nnz(X) > 2_000_000 else "threading"
        fitted = Parallel(n_jobs=self.n_jobs, backend=backend)(
            delayed(_fit_one_label)(*task(label), self.C, self.class_weight, self.max_iter)
            for label in fitted_labels
        )
        for label, (coef, intercept) in zip(fitted_labels, fitted, strict=True):
            self.coef_[label] = coef
            self.intercept_[label] = intercept
        self.n_labels_ = n_labels
        return self

    def decision_function(self, X: sp.spmatrix | np.ndarray) -> np.ndarray:
        """Log-odds per row and label."""
        return np.asarray(X @ self._coef_columns()) + self.intercept_

    def _coef_columns(self) -> np.ndarray:
        """coef_ transposed and contiguous, made once per coef_ array: given coef_.T, scipy's
        sparse product copied the whole weight matrix (13 x 200,000) on every call."""
        cached: tuple[np.ndarray, np.ndarray] | None = getattr(self, "_columns", None)
        if cached is None or cached[0] is not self.coef_:
            cached = (self.coef_, np.ascontiguousarray(self.coef_.T))
            self._columns = cached
        return cached[1]

    def predict_proba(self, X: sp.spmatrix | np.ndarray) -> np.ndarray:
        """Probability of each label per row (labels are independent: rows need not sum to 1)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X)))

    def predict(self, X: sp.spmatrix | np.ndarray) -> np.ndarray:
        """0/1 per label at probability 0.5 (NeedClassifier applies per-label thresholds)."""
        return (self.predict_proba(X) >= 0.5).astype(np.int8)


@dataclass(frozen=True)
class FeatureSpace:
    """How embeddings and lexical features are put side by side."""

    lexical: LexicalFeaturizer
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    # When set, only texts in these languages (those with many training rows) weigh their lexical
    # features at `lexical_weight`; texts in other languages at `sparse_lexical_weight`. With few
    # rows of a language, its character n-grams stand for the language itself and learn its
    # rows' labels by heart; the embeddings carry such texts instead.
    rich_languages: frozenset[str] | None = None
    sparse_lexical_weight: float = 0.5

    def lexical_weights(self, texts: Sequence[str]) -> np.ndarray:
        """The weight of each text's lexical features (by its detected language)."""
        if self.rich_languages is None:
            return np.full(len(texts), self.lexical_weight, dtype=np.float64)
        return np.array([self.lexical_weight if detect_language(text) in self.rich_languages
                         else self.sparse_lexical_weight for text in texts], dtype=np.float64)

    def rows(self, dense: np.ndarray, texts: Sequence[str],
             weights: np.ndarray | None = None) -> sp.csr_matrix:
        """Feature rows for pooled vectors and their texts (lexical weights per row if given)."""
        if weights is None:
            weights = self.lexical_weights(texts)
        lexical = self.lexical.transform(texts)  # a new matrix: scaled in place below
        # Each row scaled in place: the matrix keeps the layout the featurizer gave it.
        lexical.data *= np.repeat(weights, np.diff(lexical.indptr)).astype(lexical.data.dtype)
        return sp.hstack([sp.csr_matrix(dense * self.dense_weight), lexical], format="csr")

    def document_rows(self, encoded: Sequence[EncodedText], texts: Sequence[str],
                      weights: np.ndarray | None = None) -> sp.csr_matrix:
        """Feature rows for whole documents."""
        return self.rows(np.vstack([item.pooled() for item in encoded]), texts, weights)


class WordModel:
    """Plain word uni- and bigram TF-IDF with its own per-label logistic regressions.

    Blended with the main model it adds a differently-regularised view of the words, which
    measured better than either alone on the held-out sets (see README).
    """

    def __init__(self, C: float = 4.0) -> None:
        self.C = C
        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2),
                                          strip_accents="unicode")
        self.estimator = PartialLabelLogistic(C=C)

    def fit(self, texts: Sequence[str], truth: np.ndarray) -> WordModel:
        """Learn the vocabulary, its idf and one model per label."""
        self.estimator.fit(self.vectorizer.fit_transform(texts), truth)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability per text and label."""
        return self.estimator.predict_proba(self.vectorizer.transform(texts))

    @classmethod
    def restore(cls, C: float, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray,
                intercept: np.ndarray) -> WordModel:
        """Rebuild from saved arrays (no pickle)."""
        model = cls(C)
        model.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2),
                                           strip_accents="unicode", vocabulary=vocabulary)
        model.vectorizer.idf_ = idf
        model.estimator.coef_, model.estimator.intercept_ = coef, intercept
        model.estimator.n_labels_ = len(intercept)
        return model


@dataclass(frozen=True)
class Evidence:
    """A sentence that drove a category, with its offsets in the classified text."""

    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Classification:
    """The classifier's answer for one text."""

    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[Evidence]]


class NeedClassifier:
    """Fitted features + per-label models + per-label decision thresholds."""

    def __init__(
        self,
        labels: Sequence[str],
        features: FeatureSpace,
        estimator: PartialLabelLogistic,
        thresholds: np.ndarray,
        word_model: WordModel | None = None,
        blend: float = 0.0,
        sentence_stack: np.ndarray | None = None,
        language_thresholds: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        self.labels = list(labels)
        self.features = features
        self.estimator = estimator
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        # Thresholds of their own for the languages with many training rows (chosen on their
        # out-of-fold rows alone): a text detected in one of them is decided by its language's.
        self.language_thresholds = {code: np.asarray(values, dtype=np.float32)
                                    for code, values in (language_thresholds or {}).items()}
        self.word_model = word_model
        self.blend = blend if word_model is not None else 0.0
        # Per label: weights of the document's log-odds and of its best sentence's log-odds,
        # and an intercept (fitted on out-of-fold predictions, training/fit.py). A need said
        # once in one sentence of a long story is drowned in the pooled document vector but
        # stands out in its sentence read alone.
        self.sentence_stack = (np.asarray(sentence_stack, dtype=np.float64)
                               if sentence_stack is not None else None)

    def _blended(self, main: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        if self.word_model is None or self.blend == 0.0:
            return main
        return (1 - self.blend) * main + self.blend * self.word_model.predict_proba(texts)

    def document_probabilities(self, encoded: Sequence[EncodedText], texts: Sequence[str],
                               weights: np.ndarray | None = None) -> np.ndarray:
        """Probability per document and label from the pooled document alone."""
        main = self.estimator.predict_proba(self.features.document_rows(encoded, texts, weights))
        return self._blended(main, texts)

    def sentence_probabilities(self, item: EncodedText, weight: float) -> np.ndarray:
        """Probability per sentence and label, each sentence read as if it stood alone (its
        lexical features weighted as its document's)."""
        dense = np.hstack([item.sentence_vectors, item.sentence_vectors])
        # A lone sentence's pooled vector is [v, v]: mean and max of one vector are the vector.
        sentence_texts = [sentence.text for sentence in item.sentences]
        rows = self.features.rows(dense, sentence_texts, np.full(len(sentence_texts), weight))
        return self._blended(self.estimator.predict_proba(rows), sentence_texts)

    def probabilities(self, encoded: Sequence[EncodedText], texts: Sequence[str],
                      weights: np.ndarray | None = None) -> np.ndarray:
        """Probability per document and label."""
        return self._scores(encoded, texts, weights)[0]

    def _scores(self, encoded: Sequence[EncodedText], texts: Sequence[str],
                weights: np.ndarray | None) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Document probabilities, with the sentence probabilities they were stacked on."""
        if weights is None:
            weights = self.features.lexical_weights(texts)
        documents = self.document_probabilities(encoded, texts, weights)
        if self.sentence_stack is None:
            return documents, None
        sentences = [self.sentence_probabilities(item, float(weight))
                     for item, weight in zip(encoded, weights, strict=True)]
        best = np.vstack([scores.max(axis=0) for scores in sentences])
        return stack_probabilities(documents, best, self.sentence_stack), sentences

    def classify_encoded(
        self, encoded: Sequence[EncodedText], texts: Sequence[str]
    ) -> list[Classification]:
        """Labels, scores and evidence for already-encoded texts."""
        weights = self.features.lexical_weights(texts)
        probabilities, sentences = self._scores(encoded, texts, weights)
        decided = self.decide(probabilities, texts)
        results = []
        for position, (item, row, weight) in enumerate(zip(encoded, probabilities, weights, strict=True)):
            predicted = [int(index) for index in np.flatnonzero(decided[position])]
            if not predicted:
                evidence: dict[str, list[Evidence]] = {}
            else:
                scores = (sentences[position] if sentences is not None
                          else self.sentence_probabilities(item, float(weight)))
                evidence = self._evidence(item, predicted, scores)
            results.append(
                Classification(
                    labels=[self.labels[index] for index in predicted],
                    scores={label: round(float(row[i]), 4) for i, label in enumerate(self.labels)},
                    evidence=evidence,
                )
            )
        return results

    def decide(self, probabilities: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """0/1 per text and label, each text at its own thresholds."""
        thresholds = np.vstack([self.thresholds_for(text) for text in texts]) if len(texts) else (
            self.thresholds[None, :])
        return (probabilities >= thresholds).astype(np.int8)

    def thresholds_for(self, text: str) -> np.ndarray:
        """The per-label thresholds that decide this text: its detected language's, if it has
        its own, else the shared ones."""
        if not self.language_thresholds:
            return self.thresholds
        return self.language_thresholds.get(detect_language(text), self.thresholds)

    def _evidence(self, item: EncodedText, predicted: list[int], sentence_scores: np.ndarray
                  ) -> dict[str, list[Evidence]]:
        """The sentences that, read alone, score highest for each predicted label."""
        evidence: dict[str, list[Evidence]] = {}
        for index in predicted:
            column = sentence_scores[:, index]
            order = np.argsort(-column, kind="stable")
            floor = 0.5 * float(self.thresholds[index])
            chosen = [position for position in order[:MAX_EVIDENCE] if column[position] >= floor]
            if not chosen:
                chosen = [int(order[0])]
            evidence[self.labels[index]] = [
                Evidence(
                    text=item.sentences[position].text,
                    start=item.sentences[position].start,
                    end=item.sentences[position].end,
                    score=round(float(column[position]), 4),
                )
                for position in chosen
            ]
        return evidence


def _log_odds(probabilities: np.ndarray) -> np.ndarray:
    clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


def stack_features(documents: np.ndarray, best_sentences: np.ndarray, label: int) -> np.ndarray:
    """One label's stacking inputs: the document's and the best sentence's log-odds."""
    return np.column_stack([_log_odds(documents[:, label]), _log_odds(best_sentences[:, label])])


def stack_probabilities(documents: np.ndarray, best_sentences: np.ndarray, stack: np.ndarray) -> np.ndarray:
    """Per label: sigmoid(a * document log-odds + b * best sentence log-odds + c)."""
    logits = (stack[:, 0] * _log_odds(documents) + stack[:, 1] * _log_odds(best_sentences)
              + stack[:, 2])
    return (1 / (1 + np.exp(-logits))).astype(np.float32)


class NeedClassificationPipeline:
    """Text in, classification out: one encoder pass over the sentences, then the classifier."""

    def __init__(self, document_encoder: DocumentEncoder, classifier: NeedClassifier, version: str):
        self.document_encoder = document_encoder
        self.classifier = classifier
        self.version = version

    def classify(self, text: str) -> Classification:
        """Classify one narrative."""
        return self.classify_batch([text])[0]

    def classify_batch(self, texts: Sequence[str]) -> list[Classification]:
        """Classify many narratives, embedding all their sentences in one batched call."""
        encoded = self.document_encoder.encode_batch(texts)
        return self.classifier.classify_encoded(encoded, texts)
