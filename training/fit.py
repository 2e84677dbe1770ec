"""Fitting a NeedClassifier: cross-validated thresholds, then a final fit on all rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from tqdm import tqdm

from nlp.classify import (
    UNKNOWN,
    FeatureSpace,
    NeedClassifier,
    PartialLabelLogistic,
    WordModel,
    stack_features,
    stack_probabilities,
)
from nlp.encoding import DocumentEncoder, EncodedText, pool
from nlp.languages import detect_language
from nlp.lexical import LEXICAL_VERSION, LexicalFeaturizer
from training.datasets import LabelledRow, data_hash, label_matrix, labels_in
from training.metrics import (
    LabelScores,
    best_threshold,
    label_scores,
    macro_f1,
    mean_balanced_accuracy,
)

ENCODE_CHUNK = 64
# Labels are fitted in parallel threads (the result does not depend on it).
FIT_THREADS = 2

# progress(stage, done, total): how far a long step has come (for a progress bar or a job row).
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: report nothing."""


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides the model besides the data (versioned in the manifest)."""

    # Lexical features weigh 1.5x the pooled embeddings in languages with many training rows, and
    # half in the others: at 3x everywhere (the weight chosen for all-MiniLM-L6-v2, which reads
    # only English well) the character n-grams of a language with few rows stand for the
    # language itself and fire its rows' labels on any text in it (Korean and Ukrainian micro-F1
    # 0.45 and 0.44 on heldout/eval_14lang_r1, now multilingual/spent_eval_14lang_r1), and at
    # 0.5 everywhere English and the Romance languages lose what their words say (micro-F1 on
    # eval_multilingual 0.82, dev set 0.86).
    # Split 1.5 / 0.5: eval_14lang_r1 0.78, eval_multilingual 0.85, dev set 0.88.
    C: float = 16.0
    dense_weight: float = 1.0
    lexical_weight: float = 1.5
    sparse_lexical_weight: float = 0.5
    # A language with at least this many training rows weighs its lexical features fully.
    rich_language_rows: int = 150
    word_bits: int = 16
    char_bits: int = 17
    folds: int = 5
    seed: int = 0
    # "f1", "balanced_accuracy", or "auto": balanced accuracy when the data is partially
    # labelled (known negatives are then not a sample of the real prevalence), F1 otherwise.
    threshold_objective: str = "auto"
    # Weight of the plain word model in the blend, chosen among these by cross-validation.
    # Off by default: a blend of 0.5 won 0.004 of cross-validated macro-F1 but lost explicit
    # needs such as "he needs help applying for a T visa" (tests/api/test_cli.py).
    blend_candidates: tuple[float, ...] = (0.0,)
    word_C: float = 4.0
    # Thresholds chosen on out-of-fold predictions of the class-balanced training set come out
    # low (0.2-0.3) and noisy; each is moved this far toward 0.5. Picked on the development set
    # (dev_postings: 0.873 -> 0.911) and confirmed on the held-out multilingual set
    # (0.845 -> 0.855); the explicit-need tests in tests/api/test_cli.py still pass.
    threshold_shrinkage: float = 0.5
    # Stack each document's probability with its best sentence's (read alone) through one small
    # logistic regression per label, fitted on out-of-fold predictions, so that a need said once
    # in a long story is not lost in the pooled vector. On by default since session 8, with the
    # two settings below. Stacking alone (fitted and thresholded on the postings) had raised rounds
    # 1 and 2 of the 14-language sets but lost the wage claim of a plain Chinese story that
    # tests/api/test_import_jobs.py checks: the postings carry their needs in most of their
    # sentences, so the stack learned to trust the document. Fitted and thresholded on joined
    # pairs of held-out postings too, it finds it (README, "Classifier", for the figures).
    sentence_stack: bool = True
    stack_C: float = 1.0
    # Adds this many joined pairs of training postings per posting (each fold joins only its own
    # rows): a posting followed by another of the same language, labelled with the union of
    # their needs (a label known negative only when negative in both). Real stories carry one
    # need in a sentence among others about something else; the postings mostly carry their
    # needs in every sentence. Off: trained on, the pairs lowered the development set (macro-F1
    # 0.872 against 0.894 without them, session 8) and did not find the Chinese wage claim;
    # used for the stack instead (stack_pairs).
    concat_augment: float = 0.0
    # With the sentence stack: the stack is fitted on the out-of-fold predictions of the
    # postings and of this many joined pairs per posting (made of each fold's held-out rows), so
    # that it sees needs said in one sentence among others, as real stories say them.
    stack_pairs: float = 0.5
    # With stack_pairs: the thresholds are chosen on the stacked out-of-fold probabilities of the
    # postings and of the joined pairs together (story-like rows), not of the postings alone.
    thresholds_on_pairs: bool = True
    # A language with at least this many training rows (by detected language) gets thresholds
    # of its own, chosen on its out-of-fold postings alone and shrunk like the shared ones; 0
    # turns them off. Thresholds shared by every language are set mostly by the many rows in
    # other languages and on the joined pairs: English, with the most hard negatives (needs
    # mentioned but resolved), lost precision to them (README, "Classifier").
    language_threshold_rows: int = 400


@dataclass
class TrainedModel:
    """A fitted classifier with what its manifest should record."""

    classifier: NeedClassifier
    manifest: dict[str, Any]


def encode_rows(
    document_encoder: DocumentEncoder, texts: Sequence[str], show_progress: bool = True,
    progress: Progress = _no_progress,
) -> list[EncodedText]:
    """Encode texts in chunks, with a progress bar on stderr."""
    encoded: list[EncodedText] = []
    with tqdm(total=len(texts), desc="embedding", unit="text", disable=not show_progress) as bar:
        for first in range(0, len(texts), ENCODE_CHUNK):
            chunk = texts[first : first + ENCODE_CHUNK]
            encoded.extend(document_encoder.encode_batch(chunk))
            bar.update(len(chunk))
            progress("embedding", len(encoded), len(texts))
    return encoded


def joined_pairs(
    encoded: Sequence[EncodedText], texts: Sequence[str], truth: np.ndarray,
    languages: Sequence[str], weights: np.ndarray, share: float, seed: int,
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Joined pairs of postings (see TrainingConfig.concat_augment), ``share`` pairs per posting,
    partners of the same language: the (first, second) indices, pooled vectors, texts, labels
    and lexical weights."""
    rng = np.random.default_rng(seed)
    by_language: dict[str, list[int]] = {}
    for index, language in enumerate(languages):
        by_language.setdefault(language, []).append(index)
    count = int(round(share * len(texts)))
    firsts = rng.integers(0, len(texts), size=count)
    chosen: list[tuple[int, int]] = []
    pooled, joined, rows, row_weights = [], [], [], []
    for first in firsts:
        partners = by_language[languages[first]]
        if len(partners) < 2:
            continue
        second = partners[int(rng.integers(0, len(partners)))]
        while second == first:
            second = partners[int(rng.integers(0, len(partners)))]
        chosen.append((int(first), second))
        pooled.append(pool(np.vstack([encoded[first].sentence_vectors,
                                      encoded[second].sentence_vectors])))
        joined.append(f"{texts[first]}\n{texts[second]}")
        a, b = truth[first], truth[second]
        union = np.where((a == 1) | (b == 1), 1, np.where((a == 0) & (b == 0), 0, UNKNOWN))
        rows.append(union.astype(truth.dtype))
        row_weights.append(weights[first])
    dimension = encoded[0].sentence_vectors.shape[1] * 2 if encoded else 0
    return (np.array(chosen, dtype=np.int64).reshape(len(chosen), 2),
            np.array(pooled, dtype=np.float32).reshape(len(pooled), dimension), joined,
            np.array(rows, dtype=truth.dtype).reshape(len(rows), truth.shape[1]),
            np.array(row_weights, dtype=np.float64))


def _fit(
    labels: Sequence[str],
    pooled: np.ndarray,
    texts: Sequence[str],
    truth: np.ndarray,
    config: TrainingConfig,
    thresholds: np.ndarray,
    rich: frozenset[str] | None = None,
    weights: np.ndarray | None = None,
    encoded: Sequence[EncodedText] | None = None,
    languages: Sequence[str] | None = None,
) -> NeedClassifier:
    if config.concat_augment > 0 and encoded is not None and languages is not None:
        assert weights is not None
        extra = joined_pairs(encoded, texts, truth, languages, weights, config.concat_augment,
                             config.seed)
        _, extra_pooled, extra_texts, extra_truth, extra_weights = extra
        pooled = np.vstack([pooled, extra_pooled])
        texts = [*texts, *extra_texts]
        truth = np.vstack([truth, extra_truth])
        weights = np.concatenate([weights, extra_weights])
    lexical = LexicalFeaturizer(config.word_bits, config.char_bits).fit(texts)
    features = FeatureSpace(lexical, config.dense_weight, config.lexical_weight, rich,
                            config.sparse_lexical_weight)
    estimator = PartialLabelLogistic(C=config.C, n_jobs=FIT_THREADS)
    estimator.fit(features.rows(pooled, texts, weights), truth)
    return NeedClassifier(labels, features, estimator, thresholds)


def rich_languages(languages: Sequence[str], config: TrainingConfig) -> frozenset[str]:
    """Languages with enough training rows to weigh their lexical features fully."""
    counts: dict[str, int] = {}
    for language in languages:
        counts[language] = counts.get(language, 0) + 1
    return frozenset(code for code, count in counts.items() if count >= config.rich_language_rows)


def _shrunk(thresholds: np.ndarray, config: TrainingConfig) -> np.ndarray:
    """Thresholds moved config.threshold_shrinkage of the way toward 0.5."""
    return ((1 - config.threshold_shrinkage) * thresholds
            + config.threshold_shrinkage * 0.5).astype(np.float32)


def _language_thresholds(oof: np.ndarray, truth: np.ndarray, languages: Sequence[str],
                         objective: str, config: TrainingConfig) -> dict[str, np.ndarray]:
    """Per-label thresholds of each language with language_threshold_rows rows or more, chosen
    on that language's out-of-fold rows and shrunk toward 0.5 like the shared thresholds."""
    if config.language_threshold_rows <= 0:
        return {}
    codes = np.array(languages)
    chosen: dict[str, np.ndarray] = {}
    for code in sorted(set(languages)):
        mask = codes == code
        if mask.sum() < config.language_threshold_rows:
            continue
        values = np.array([best_threshold(oof[mask, j], truth[mask, j], objective)
                           for j in range(truth.shape[1])], dtype=np.float32)
        chosen[code] = _shrunk(values, config)
    return chosen


def _row_weights(languages: Sequence[str], rich: frozenset[str], config: TrainingConfig) -> np.ndarray:
    return np.array([config.lexical_weight if language in rich else config.sparse_lexical_weight
                     for language in languages], dtype=np.float64)


def fold_splits(rows: int, groups: Sequence[str | None] | None,
                config: TrainingConfig) -> list[tuple[np.ndarray, np.ndarray]]:
    """The cross-validation folds: shuffled KFold, or, when any row has a group, shuffled
    GroupKFold with each row that has none a group of its own (so data without groups is split
    exactly as before groups existed)."""
    if groups is None or all(group is None for group in groups):
        folds = KFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
        return list(folds.split(np.zeros(rows)))
    if len(groups) != rows:
        raise ValueError("one group (or None) is needed for each row")
    named = [f"group:{group}" if group is not None else f"row:{index}"
             for index, group in enumerate(groups)]
    grouped = GroupKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    return list(grouped.split(np.zeros(rows), groups=named))


def out_of_fold_both(
    labels: Sequence[str],
    pooled: np.ndarray,
    texts: Sequence[str],
    truth: np.ndarray,
    config: TrainingConfig,
    show_progress: bool = True,
    progress: Progress = _no_progress,
    languages: Sequence[str] | None = None,
    encoded: Sequence[EncodedText] | None = None,
    groups: Sequence[str | None] | None = None,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, StackRows | None]:
    """Out-of-fold probabilities of the main model, of the plain word model, of each
    document's best sentence read alone by the main model, and the stacking rows of joined pairs
    of held-out postings (``config.stack_pairs``).

    The word model is fitted only when a blend with it is among the candidates, and sentences
    are read only with ``config.sentence_stack`` (None otherwise). ``encoded`` (the rows'
    sentences) is needed by both the stack and ``config.concat_augment``. Rows of one group
    (``groups``) are held out together.
    """
    with_word_model = any(blend > 0 for blend in config.blend_candidates)
    probabilities = np.zeros(truth.shape, dtype=np.float32)
    word_probabilities = np.zeros(truth.shape, dtype=np.float32) if with_word_model else None
    best_sentences = (np.zeros(truth.shape, dtype=np.float32)
                      if encoded is not None and config.sentence_stack else None)
    pair_rows: list[StackRows] = []
    placeholder = np.full(len(labels), 0.5, dtype=np.float32)
    if languages is None:
        languages = [detect_language(text) for text in texts]
    rich = rich_languages(languages, config)
    weights = _row_weights(languages, rich, config)
    splits = fold_splits(len(pooled), groups, config)
    for fold, (train_index, test_index) in enumerate(tqdm(
        splits, desc="cross-validation", unit="fold", disable=not show_progress
    )):
        progress("cross-validation", fold, config.folds)
        model = _fit(
            labels, pooled[train_index], [texts[i] for i in train_index],
            truth[train_index], config, placeholder, rich, weights[train_index],
            [encoded[i] for i in train_index] if encoded is not None else None,
            [languages[i] for i in train_index],
        )
        test_texts = [texts[i] for i in test_index]
        probabilities[test_index] = model.estimator.predict_proba(
            model.features.rows(pooled[test_index], test_texts, weights[test_index])
        )
        if word_probabilities is not None:
            word = WordModel(config.word_C).fit([texts[i] for i in train_index], truth[train_index])
            word_probabilities[test_index] = word.predict_proba(test_texts)
        if best_sentences is not None and encoded is not None:
            for index in test_index:
                scores = model.sentence_probabilities(encoded[index], float(weights[index]))
                best_sentences[index] = scores.max(axis=0)
            if config.stack_pairs > 0:
                pair_rows.append(_pair_stack_rows(
                    model, [encoded[i] for i in test_index], test_texts, truth[test_index],
                    [languages[i] for i in test_index], weights[test_index],
                    best_sentences[test_index], config, fold))
    progress("cross-validation", config.folds, config.folds)
    pairs = None
    if pair_rows:
        pairs = StackRows(*(np.vstack([getattr(rows, name) for rows in pair_rows])
                            for name in ("documents", "best_sentences", "truth")))
    return probabilities, word_probabilities, best_sentences, pairs


@dataclass(frozen=True)
class StackRows:
    """Inputs of the sentence stack: document and best-sentence probabilities, and the truth."""

    documents: np.ndarray
    best_sentences: np.ndarray
    truth: np.ndarray


def _pair_stack_rows(model: NeedClassifier, encoded: Sequence[EncodedText], texts: Sequence[str],
                     truth: np.ndarray, languages: Sequence[str], weights: np.ndarray,
                     best_sentences: np.ndarray, config: TrainingConfig, fold: int) -> StackRows:
    """A fold model's predictions on joined pairs of its held-out postings, given each
    posting's best-sentence probabilities. A pair's best sentence is the better of its two
    postings': partners share a language, so their sentences were read at the same weight."""
    chosen, pooled, joined, pair_truth, pair_weights = joined_pairs(
        encoded, texts, truth, languages, weights, config.stack_pairs, config.seed + 1 + fold)
    documents = model.estimator.predict_proba(model.features.rows(pooled, joined, pair_weights))
    best = np.maximum(best_sentences[chosen[:, 0]], best_sentences[chosen[:, 1]])
    return StackRows(documents.astype(np.float32), best, pair_truth)


def fit_sentence_stack(documents: np.ndarray, best_sentences: np.ndarray, truth: np.ndarray,
                       C: float) -> np.ndarray:
    """Per label, [document weight, sentence weight, intercept] of a logistic regression on the
    two log-odds, fitted on the rows where the label is known."""
    stack = np.zeros((truth.shape[1], 3))
    for label in range(truth.shape[1]):
        known = truth[:, label] != UNKNOWN
        targets = truth[known, label] == 1
        if targets.all() or not targets.any():
            stack[label] = (1.0, 0.0, 0.0)  # nothing to learn from: the document alone
            continue
        model = LogisticRegression(C=C).fit(
            stack_features(documents[known], best_sentences[known], label), targets)
        stack[label] = (*model.coef_[0], model.intercept_[0])
    return stack


def train_classifier(
    rows: Sequence[LabelledRow],
    document_encoder: DocumentEncoder,
    config: TrainingConfig,
    sources: Sequence[str] = (),
    show_progress: bool = True,
    encoded: Sequence[EncodedText] | None = None,
    progress: Progress = _no_progress,
) -> TrainedModel:
    """Fit on all rows with per-label thresholds chosen on out-of-fold predictions.

    ``encoded`` may carry the rows' encodings already (from a cache); otherwise they are computed.
    """
    labels = labels_in(rows)
    if not labels:
        raise ValueError("the data carries no labels to learn")
    truth = label_matrix(rows, labels)
    positives = (truth == 1).sum(axis=0)
    if positives.min() == 0:
        empty = [label for label, count in zip(labels, positives, strict=True) if count == 0]
        raise ValueError(f"no positive example for: {', '.join(empty)}")
    texts = [row.text for row in rows]
    if encoded is None:
        encoded = encode_rows(document_encoder, texts, show_progress, progress)
    pooled = np.vstack([item.pooled() for item in encoded])

    partial = bool((truth == UNKNOWN).any())
    objective = config.threshold_objective
    if objective == "auto":
        objective = "balanced_accuracy" if partial else "f1"
    # The metric follows the threshold objective: F1 where known negatives are a sample of the
    # real prevalence, balanced accuracy where they are not (Learned Hands).
    accuracy_metric = objective == "balanced_accuracy"

    def primary_of(label_results: list[LabelScores]) -> float:
        return mean_balanced_accuracy(label_results) if accuracy_metric else macro_f1(label_results)

    # Detected, not as labelled: a text is weighed at prediction by its detected language too.
    languages = [detect_language(row.text) for row in rows]
    main_oof, word_oof, sentence_oof, pairs = out_of_fold_both(
        labels, pooled, texts, truth, config, show_progress, progress, languages, encoded,
        [row.group for row in rows])
    rich = rich_languages(languages, config)
    stack = None
    if sentence_oof is not None:
        if pairs is None:
            stack = fit_sentence_stack(main_oof, sentence_oof, truth, config.stack_C)
        else:
            stack = fit_sentence_stack(np.vstack([main_oof, pairs.documents]),
                                       np.vstack([sentence_oof, pairs.best_sentences]),
                                       np.vstack([truth, pairs.truth]), config.stack_C)
        # The thresholds are chosen on the stacked out-of-fold probabilities. (The stack is
        # fitted on the same out-of-fold rows: three numbers per label, so little to overfit.)
        main_oof = stack_probabilities(main_oof, sentence_oof, stack)
    # Extra rows the thresholds are chosen on (and not scored on): the stacked joined pairs.
    threshold_rows: tuple[np.ndarray, np.ndarray] | None = None
    if stack is not None and pairs is not None and config.thresholds_on_pairs:
        threshold_rows = (stack_probabilities(pairs.documents, pairs.best_sentences, stack),
                          pairs.truth)

    def cross_validated(blend: float) -> tuple[float, np.ndarray, list[LabelScores]]:
        oof = main_oof if word_oof is None else (1 - blend) * main_oof + blend * word_oof
        chosen_on, chosen_truth = oof, truth
        if threshold_rows is not None and word_oof is None:
            chosen_on = np.vstack([oof, threshold_rows[0]])
            chosen_truth = np.vstack([truth, threshold_rows[1]])
        chosen = np.array(
            [best_threshold(chosen_on[:, j], chosen_truth[:, j], objective)
             for j in range(len(labels))],
            dtype=np.float32,
        )
        label_results = label_scores(truth, (oof >= chosen).astype(np.int8), labels)
        value = primary_of(label_results)
        return value, chosen, label_results

    candidates = {blend: cross_validated(blend) for blend in config.blend_candidates}
    blend = max(candidates, key=lambda b: (round(candidates[b][0], 4), -b))
    _, chosen_thresholds, scores = candidates[blend]
    thresholds = _shrunk(chosen_thresholds, config)
    final_oof = main_oof if word_oof is None else (1 - blend) * main_oof + blend * word_oof
    language_thresholds = _language_thresholds(final_oof, truth, languages, objective, config)
    progress("final fit", 0, 1)
    classifier = _fit(labels, pooled, texts, truth, config, thresholds, rich,
                      _row_weights(languages, rich, config), encoded, languages)
    classifier.sentence_stack = stack
    classifier.language_thresholds = language_thresholds
    progress("final fit", 1, 1)
    if blend > 0:
        classifier.word_model = WordModel(config.word_C).fit(texts, truth)
        classifier.blend = blend

    digest = data_hash(rows)
    split_version = document_encoder.splitter.version
    identity = json.dumps([digest, asdict(config), LEXICAL_VERSION]
                          + ([split_version] if split_version != 1 else []),
                          sort_keys=True).encode()
    version = "v" + hashlib.sha256(identity).hexdigest()[:10]
    primary = primary_of(scores)
    manifest = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": asdict(config),
        # nlp.sentences.SPLIT_VERSION it was trained with: it is served with the same.
        "sentence_split": split_version,
        "threshold_objective": objective,
        "training": {
            "data_sha256": digest,
            "files": list(sources),
            "rows": len(rows),
            "partially_labelled": partial,
            "positives": {label: int(n) for label, n in zip(labels, positives, strict=True)},
        },
        "metrics": {
            "primary": "cv_mean_balanced_accuracy" if accuracy_metric else "cv_macro_f1",
            "cv_macro_f1": round(macro_f1(scores), 4),
            "cv_mean_balanced_accuracy": round(mean_balanced_accuracy(scores), 4),
            "cv_primary_value": round(primary, 4),
            "cv_per_label_f1": {s.label: round(s.f1, 4) for s in scores},
            "cv_by_blend": {str(b): round(v[0], 4) for b, v in candidates.items()},
            "blend": blend,
        },
    }
    return TrainedModel(classifier, manifest)
