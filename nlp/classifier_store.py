"""Saving and loading a NeedClassifier as NumPy arrays + JSON (nothing that executes on load)."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classify import FeatureSpace, NeedClassifier, PartialLabelLogistic, WordModel
from nlp.encoder import SentenceEncoder
from nlp.lexical import SUPPORTED_LEXICAL_VERSIONS, LexicalFeaturizer

MANIFEST = "manifest.json"
WEIGHTS = "weights.npz"
WORD_VOCABULARY = "word_vocabulary.json"
FORMAT_VERSION = 1
_LIBRARIES = ("numpy", "scikit-learn", "sentence-transformers", "spacy", "torch")


class ModelMismatch(ValueError):
    """A saved artefact does not fit the running encoder or the expected label set."""


class ModelNotFound(FileNotFoundError):
    """No saved classifier at the given place."""


def library_versions() -> dict[str, str]:
    """Versions of the libraries a saved model depends on."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def save_classifier(
    classifier: NeedClassifier, directory: Path, encoder: SentenceEncoder, manifest: dict[str, Any]
) -> Path:
    """Write weights.npz and manifest.json (the caller's manifest fields are kept)."""
    directory.mkdir(parents=True, exist_ok=True)
    lexical = classifier.features.lexical
    assert lexical.idf_ is not None
    arrays = {
        "coef": classifier.estimator.coef_,
        "intercept": classifier.estimator.intercept_,
        "idf": lexical.idf_,
        "thresholds": classifier.thresholds,
    }
    if classifier.sentence_stack is not None:
        arrays["sentence_stack"] = classifier.sentence_stack
    for code, values in sorted(classifier.language_thresholds.items()):
        arrays[f"thresholds_{code}"] = values
    word = classifier.word_model
    if word is not None:
        arrays |= {"word_coef": word.estimator.coef_, "word_intercept": word.estimator.intercept_,
                   "word_idf": word.vectorizer.idf_.astype(np.float32)}
        vocabulary = {term: int(index) for term, index in word.vectorizer.vocabulary_.items()}
        (directory / WORD_VOCABULARY).write_text(json.dumps(vocabulary, ensure_ascii=False))
    np.savez_compressed(directory / WEIGHTS, **arrays)  # type: ignore[arg-type]
    full = {
        "kind": "needmatch-classifier",
        "format_version": FORMAT_VERSION,
        **manifest,
        # The precision it was trained at; bf16 and fp32 vectors agree to a cosine of 0.9999.
        "encoder": {"name": encoder.name, "dimension": encoder.dimension, "precision": encoder.precision},
        "labels": classifier.labels,
        "thresholds": {
            label: round(float(value), 4)
            for label, value in zip(classifier.labels, classifier.thresholds, strict=True)
        },
        "language_thresholds": {
            code: {label: round(float(value), 4)
                   for label, value in zip(classifier.labels, values, strict=True)}
            for code, values in sorted(classifier.language_thresholds.items())
        },
        "features": {
            "lexical_version": lexical.version,
            "word_bits": lexical.word_bits,
            "char_bits": lexical.char_bits,
            "dense_weight": classifier.features.dense_weight,
            "lexical_weight": classifier.features.lexical_weight,
            "rich_languages": (sorted(classifier.features.rich_languages)
                               if classifier.features.rich_languages is not None else None),
            "sparse_lexical_weight": classifier.features.sparse_lexical_weight,
        },
        "estimator": classifier.estimator.get_params(),
        "word_model": ({"C": word.C, "blend": classifier.blend} if word is not None else None),
        "sentence_stack": classifier.sentence_stack is not None,
        "library_versions": library_versions(),
    }
    (directory / MANIFEST).write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    return directory


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a saved classifier."""
    path = directory / MANIFEST
    if not path.is_file():
        raise ModelNotFound(f"No classifier at {directory} (missing {MANIFEST}).")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ModelMismatch(f"{path} is not valid JSON: {error.msg}") from error
    if manifest.get("kind") != "needmatch-classifier":
        raise ModelMismatch(f"{path} does not describe a needmatch classifier.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelMismatch(
            f"{path} has format version {manifest.get('format_version')}, "
            f"this needmatch reads version {FORMAT_VERSION}."
        )
    return manifest


def load_classifier(
    directory: Path, encoder: SentenceEncoder, expected_labels: Sequence[str] | None = None
) -> tuple[NeedClassifier, dict[str, Any]]:
    """Load a classifier, refusing one built for another encoder or label set."""
    manifest = read_manifest(directory)
    saved_encoder = manifest["encoder"]
    if (saved_encoder["name"], saved_encoder["dimension"]) != (encoder.name, encoder.dimension):
        raise ModelMismatch(
            f"The classifier in {directory} was trained on encoder {saved_encoder['name']} "
            f"(dimension {saved_encoder['dimension']}), but the running encoder is "
            f"{encoder.name} (dimension {encoder.dimension}). Retrain it with this encoder."
        )
    labels = list(manifest["labels"])
    if expected_labels is not None and sorted(labels) != sorted(expected_labels):
        raise ModelMismatch(
            f"The classifier in {directory} predicts {sorted(labels)}, "
            f"but {sorted(expected_labels)} were expected."
        )
    word_config = manifest.get("word_model")
    word_model = None
    with np.load(directory / WEIGHTS, allow_pickle=False) as weights:
        coef, intercept = weights["coef"], weights["intercept"]
        idf, thresholds = weights["idf"], weights["thresholds"]
        sentence_stack = weights["sentence_stack"] if "sentence_stack" in weights.files else None
        language_thresholds = {name.removeprefix("thresholds_"): weights[name]
                               for name in weights.files if name.startswith("thresholds_")}
        if word_config:
            vocabulary = json.loads((directory / WORD_VOCABULARY).read_text())
            word_model = WordModel.restore(word_config["C"], vocabulary, weights["word_idf"],
                                           weights["word_coef"], weights["word_intercept"])
    features_config = manifest["features"]
    version = features_config.get("lexical_version")
    if version not in SUPPORTED_LEXICAL_VERSIONS:
        raise ModelMismatch(
            f"The classifier in {directory} was fitted on lexical features version "
            f"{version}, this needmatch computes versions "
            f"{', '.join(map(str, SUPPORTED_LEXICAL_VERSIONS))}. Retrain it."
        )
    lexical = LexicalFeaturizer(features_config["word_bits"], features_config["char_bits"], version)
    expected_width = 2 * encoder.dimension + lexical.n_features
    if coef.shape != (len(labels), expected_width) or idf.shape != (lexical.n_features,) or (
            sentence_stack is not None and sentence_stack.shape != (len(labels), 3)) or any(
            values.shape != (len(labels),) for values in language_thresholds.values()):
        raise ModelMismatch(f"The weights in {directory} do not match its manifest.")
    lexical.idf_ = idf
    estimator = PartialLabelLogistic(**manifest["estimator"])
    estimator.coef_, estimator.intercept_, estimator.n_labels_ = coef, intercept, len(labels)
    rich = features_config.get("rich_languages")
    features = FeatureSpace(
        lexical, features_config["dense_weight"], features_config["lexical_weight"],
        frozenset(rich) if rich is not None else None,
        features_config.get("sparse_lexical_weight", features_config["lexical_weight"]),
    )
    blend = float(word_config["blend"]) if word_config else 0.0
    classifier = NeedClassifier(labels, features, estimator, thresholds, word_model, blend, sentence_stack,
                                language_thresholds)
    return classifier, manifest
