import numpy as np
import pytest
from sklearn.base import clone

from nlp.classify import PartialLabelLogistic
from nlp.encoding import EmptyText, pool
from nlp.taxonomy import UNKNOWN


def _toy_features() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    positives = rng.normal(loc=[2.0, 0.0], scale=0.3, size=(20, 2))
    negatives = rng.normal(loc=[-2.0, 0.0], scale=0.3, size=(20, 2))
    # Rows that look like positives but whose label is unknown.
    unknown = rng.normal(loc=[2.0, 0.0], scale=0.3, size=(60, 2))
    features = np.vstack([positives, negatives, unknown])
    labels = np.concatenate([np.ones(20), np.zeros(20), np.full(60, UNKNOWN)]).astype(np.int8)
    return features, labels[:, None]


def test_unknown_labels_are_not_negatives() -> None:
    features, labels = _toy_features()
    model = PartialLabelLogistic().fit(features, labels)
    probabilities = model.predict_proba(np.array([[2.0, 0.0], [-2.0, 0.0]]))[:, 0]
    assert probabilities[0] > 0.9 and probabilities[1] < 0.1
    # Treating the unknown rows as negatives would drag the positive side down.
    as_negatives = labels.copy()
    as_negatives[as_negatives == UNKNOWN] = 0
    wrong = PartialLabelLogistic().fit(features, as_negatives)
    assert wrong.predict_proba(np.array([[2.0, 0.0]]))[0, 0] < probabilities[0]


def test_estimator_contract() -> None:
    model = PartialLabelLogistic(C=2.0)
    assert model.get_params()["C"] == 2.0
    features, labels = _toy_features()
    assert model.fit(features, labels) is model
    assert hasattr(model, "coef_") and hasattr(model, "intercept_")
    assert clone(model).get_params() == model.get_params()
    assert model.predict(features[:2]).shape == (2, 1)


def test_label_seen_with_one_class_only_is_constant() -> None:
    features = np.eye(4)
    labels = np.array([[1, 0], [1, 0], [1, UNKNOWN], [1, 0]], dtype=np.int8)
    probabilities = PartialLabelLogistic().fit(features, labels).predict_proba(features)
    assert np.all(probabilities[:, 0] > 0.95) and np.all(probabilities[:, 1] < 0.05)


def test_pool_gives_unit_mean_and_max_halves() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    pooled = pool(vectors)
    assert pooled.shape == (4,)
    assert np.isclose(np.linalg.norm(pooled[:2]), 1.0)
    assert np.isclose(np.linalg.norm(pooled[2:]), 1.0)


def test_empty_text_is_refused(document_encoder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EmptyText):
        document_encoder.encode_batch(["fine text", "   "])


def test_each_sentence_is_embedded_once(document_encoder) -> None:  # type: ignore[no-untyped-def]
    encoded = document_encoder.encode_batch(["One sentence here. And a second one."])[0]
    assert len(encoded.sentences) == 2
    assert encoded.sentence_vectors.shape == (2, document_encoder.encoder.dimension)
    assert np.allclose(np.linalg.norm(encoded.sentence_vectors, axis=1), 1.0, atol=1e-4)


def test_per_label_thresholds_decide_and_evidence_points_at_the_driver(document_encoder) -> None:  # type: ignore[no-untyped-def]
    from nlp.classify import FeatureSpace, NeedClassifier
    from nlp.lexical import LexicalFeaturizer

    texts = ["The weather was mild. She needs a divorce. Lunch was late."]
    lexical = LexicalFeaturizer(word_bits=8, char_bits=8).fit(texts)
    features = FeatureSpace(lexical, 1.0, 0.0)
    encoded = document_encoder.encode_batch(texts)
    divorce = document_encoder.encoder.encode(["divorce"])[0]
    estimator = PartialLabelLogistic()
    # Label 0 scores by similarity to "divorce"; label 1 is a constant 0.3.
    estimator.coef_ = np.zeros((2, features.rows(encoded[0].pooled()[None, :], texts).shape[1]),
                               dtype=np.float32)
    estimator.coef_[0, : divorce.size] = 8 * divorce
    estimator.intercept_ = np.array([-2.0, np.log(0.3 / 0.7)], dtype=np.float32)
    low = NeedClassifier(["family_law", "housing"], features, estimator, np.array([0.2, 0.25]))
    high = NeedClassifier(["family_law", "housing"], features, estimator, np.array([0.2, 0.35]))
    assert "housing" in low.classify_encoded(encoded, texts)[0].labels  # 0.3 >= 0.25
    result = high.classify_encoded(encoded, texts)[0]
    assert "housing" not in result.labels  # 0.3 < 0.35
    assert result.labels == ["family_law"]
    best = result.evidence["family_law"][0]
    assert best.text == "She needs a divorce."
    assert texts[0][best.start : best.end] == best.text


def test_a_language_with_its_own_thresholds_is_decided_by_them(document_encoder) -> None:  # type: ignore[no-untyped-def]
    from nlp.classify import FeatureSpace, NeedClassifier
    from nlp.lexical import LexicalFeaturizer

    texts = ["She needs a place to live after the eviction notice.",
             "Ella necesita un lugar donde vivir después del aviso de desalojo."]
    lexical = LexicalFeaturizer(word_bits=8, char_bits=8).fit(texts)
    features = FeatureSpace(lexical, 1.0, 0.0)
    encoded = document_encoder.encode_batch(texts)
    estimator = PartialLabelLogistic()
    width = features.rows(encoded[0].pooled()[None, :], texts[:1]).shape[1]
    estimator.coef_ = np.zeros((1, width), dtype=np.float32)
    estimator.intercept_ = np.array([np.log(0.4 / 0.6)], dtype=np.float32)  # 0.4 for every text
    classifier = NeedClassifier(["housing"], features, estimator, np.array([0.3]),
                                language_thresholds={"en": np.array([0.5])})
    english, spanish = classifier.classify_encoded(encoded, texts)
    assert english.labels == [] and spanish.labels == ["housing"]  # 0.4 < 0.5, 0.4 >= 0.3
    decided = classifier.decide(classifier.probabilities(encoded, texts), texts)
    assert decided.tolist() == [[0], [1]]
