import numpy as np
import pytest

from nlp.classifier_store import ModelMismatch, load_classifier, read_manifest, save_classifier
from training.datasets import LabelledRow
from training.fit import TrainingConfig, train_classifier

WAGES = [
    "The boss never paid her for two years of work at the farm.",
    "He is owed overtime for 70-hour weeks at the restaurant.",
    "She wants to recover the wages the cleaning company kept.",
    "Unpaid wages from the nail salon, about 9,000 dollars.",
    "Wants to file a wage claim with the labor department.",
    "The construction crew was paid nothing for months.",
]
DIVORCE = [
    "She wants a divorce from the husband who trafficked her.",
    "Needs full custody of her two children and a protective order.",
    "Wants to end the marriage and keep the kids safe from him.",
    "Restraining order against her partner, then divorce.",
    "Custody hearing next month; he is asking for visitation.",
    "Needs help with child support and the divorce papers.",
]


def _rows(partial: bool = False) -> list[LabelledRow]:
    rows = [LabelledRow(text, ("wage_claims",), None) for text in WAGES]
    rows += [LabelledRow(text, ("family_law",), None) for text in DIVORCE]
    rows.append(LabelledRow(WAGES[0] + " " + DIVORCE[0], ("family_law", "wage_claims"), None))
    if partial:
        rows = [LabelledRow(row.text, row.labels, ()) for row in rows]
    return rows


@pytest.fixture(scope="module")
def trained(document_encoder):  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12)
    return train_classifier(_rows(), document_encoder, config, show_progress=False)


def test_learns_both_labels_and_multi_label(trained, document_encoder) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "Her employer kept all her pay for a year.",
        "She needs a lawyer for custody of her daughter.",
    ]
    results = trained.classifier.classify_encoded(document_encoder.encode_batch(texts), texts)
    assert results[0].scores["wage_claims"] > results[0].scores["family_law"]
    assert results[1].scores["family_law"] > results[1].scores["wage_claims"]
    assert set(results[0].scores) == {"family_law", "wage_claims"}


def test_manifest_records_data_and_metrics(trained) -> None:  # type: ignore[no-untyped-def]
    manifest = trained.manifest
    assert manifest["training"]["rows"] == 13
    assert manifest["training"]["positives"] == {"family_law": 7, "wage_claims": 7}
    assert manifest["metrics"]["primary"] == "cv_macro_f1"
    assert len(manifest["training"]["data_sha256"]) == 64


def test_same_data_and_seed_give_the_same_model(trained, document_encoder) -> None:  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12)
    again = train_classifier(_rows(), document_encoder, config, show_progress=False)
    assert again.manifest["version"] == trained.manifest["version"]
    assert np.array_equal(again.classifier.estimator.coef_, trained.classifier.estimator.coef_)
    assert np.array_equal(again.classifier.thresholds, trained.classifier.thresholds)


def test_partial_labels_use_balanced_accuracy(document_encoder) -> None:  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12)
    model = train_classifier(_rows(partial=True), document_encoder, config, show_progress=False)
    assert model.manifest["threshold_objective"] == "balanced_accuracy"
    assert model.manifest["metrics"]["primary"] == "cv_mean_balanced_accuracy"


def test_a_label_without_positives_is_refused(document_encoder) -> None:  # type: ignore[no-untyped-def]
    rows = _rows() + [LabelledRow("text", ("housing",), ("criminal_defense",))]
    with pytest.raises(ValueError, match="criminal_defense"):
        train_classifier(rows, document_encoder, TrainingConfig(folds=3), show_progress=False)


def test_round_trip_and_mismatch(trained, encoder, document_encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    directory = save_classifier(trained.classifier, tmp_path / "model", encoder, trained.manifest)
    assert not list(directory.glob("*.pkl"))
    loaded, manifest = load_classifier(directory, encoder)
    texts = ["Boss kept her wages and she wants a divorce."]
    encoded = document_encoder.encode_batch(texts)
    assert np.allclose(
        loaded.probabilities(encoded, texts), trained.classifier.probabilities(encoded, texts)
    )
    assert manifest["encoder"] == {"name": encoder.name, "dimension": encoder.dimension,
                                   "precision": encoder.precision}
    with pytest.raises(ModelMismatch, match="were expected"):
        load_classifier(directory, encoder, expected_labels=["housing"])
    manifest_path = directory / "manifest.json"
    original = manifest_path.read_text()
    manifest_path.write_text(original.replace('"lexical_version": ', '"lexical_version": 1000'))
    with pytest.raises(ModelMismatch, match="lexical features version"):
        load_classifier(directory, encoder)
    manifest_path.write_text(original.replace(encoder.name, "another/encoder"))
    with pytest.raises(ModelMismatch, match="another/encoder"):
        load_classifier(directory, encoder)
    assert read_manifest(directory)["encoder"]["name"] == "another/encoder"


def test_blended_word_model_round_trips(document_encoder, encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12, blend_candidates=(0.5,))
    model = train_classifier(_rows(), document_encoder, config, show_progress=False)
    assert model.manifest["metrics"]["blend"] == 0.5 and model.classifier.word_model is not None
    directory = save_classifier(model.classifier, tmp_path / "blend", encoder, model.manifest)
    assert (directory / "word_vocabulary.json").is_file()
    loaded, manifest = load_classifier(directory, encoder)
    assert manifest["word_model"]["blend"] == 0.5 and loaded.blend == 0.5
    texts = ["Her boss kept her wages.", "She wants custody of her son."]
    encoded = document_encoder.encode_batch(texts)
    assert np.allclose(loaded.probabilities(encoded, texts),
                       model.classifier.probabilities(encoded, texts), atol=1e-6)
    main_only = model.classifier.estimator.predict_proba(
        model.classifier.features.document_rows(encoded, texts))
    assert not np.allclose(main_only, loaded.probabilities(encoded, texts))


def test_the_sentence_stack_is_fitted_saved_and_used(encoder, document_encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12, sentence_stack=True)
    trained = train_classifier(_rows(), document_encoder, config, show_progress=False)
    stack = trained.classifier.sentence_stack
    assert stack is not None and stack.shape == (2, 3)
    assert trained.manifest["config"]["sentence_stack"] is True
    directory = save_classifier(trained.classifier, tmp_path / "stacked", encoder, trained.manifest)
    loaded, manifest = load_classifier(directory, encoder)
    assert manifest["sentence_stack"] is True and np.array_equal(loaded.sentence_stack, stack)
    texts = ["She was brought from Honduras by a cousin. She lived in the basement. "
             "The farm never paid her for two years of work."]
    encoded = document_encoder.encode_batch(texts)
    documents = loaded.document_probabilities(encoded, texts)
    stacked = loaded.probabilities(encoded, texts)
    assert not np.allclose(documents, stacked)  # the sentences count
    # A stack of the wrong shape is refused.
    with np.load(directory / "weights.npz") as weights:
        arrays = {name: weights[name] for name in weights.files}
    arrays["sentence_stack"] = np.zeros((5, 3))
    np.savez_compressed(directory / "weights.npz", **arrays)
    with pytest.raises(ModelMismatch, match="do not match"):
        load_classifier(directory, encoder)


def test_stacking_arithmetic() -> None:
    from nlp.classify import stack_probabilities

    documents = np.array([[0.2, 0.9]])
    sentences = np.array([[0.95, 0.1]])
    document_only = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    sentence_only = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    assert np.allclose(stack_probabilities(documents, sentences, document_only), documents, atol=1e-5)
    assert np.allclose(stack_probabilities(documents, sentences, sentence_only), sentences, atol=1e-5)


def test_without_the_stack_probabilities_are_the_documents(document_encoder) -> None:  # type: ignore[no-untyped-def]
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12, sentence_stack=False)
    model = train_classifier(_rows(), document_encoder, config, show_progress=False)
    assert model.classifier.sentence_stack is None
    texts = ["Her boss kept her wages."]
    encoded = document_encoder.encode_batch(texts)
    assert np.array_equal(model.classifier.probabilities(encoded, texts),
                          model.classifier.document_probabilities(encoded, texts))


def test_joined_pairs_unite_labels_within_one_language(document_encoder) -> None:  # type: ignore[no-untyped-def]
    from nlp.classify import UNKNOWN
    from nlp.encoding import pool
    from training.fit import joined_pairs

    texts = [WAGES[0], DIVORCE[0], "老板两年没有付她工资。", "她想和丈夫离婚。", "她需要找地方住。"]
    encoded = document_encoder.encode_batch(texts)
    truth = np.array([[1, 0], [0, 1], [1, UNKNOWN], [0, 1], [0, UNKNOWN]], dtype=np.int8)
    languages = ["en", "en", "zh", "zh", "zh"]
    u = int(UNKNOWN)
    # Positive in either; negative only when negative in both; otherwise unknown.
    expected = {frozenset({0, 1}): [1, 1], frozenset({2, 3}): [1, 1], frozenset({2, 4}): [1, u],
                frozenset({3, 4}): [0, 1]}
    pairs, pooled, joined, labels, weights = joined_pairs(
        encoded, texts, truth, languages, np.array([1.5, 1.5, 0.5, 0.5, 0.5]), share=4.0, seed=0)
    assert len(joined) == len(labels) == len(weights) == pooled.shape[0] == len(pairs) == 20
    seen = set()
    for (first, second), text, row, vector, weight in zip(pairs, joined, labels, pooled, weights,
                                                          strict=True):
        assert text == f"{texts[first]}\n{texts[second]}"
        assert first != second and languages[first] == languages[second]
        assert weight == (1.5 if languages[first] == "en" else 0.5)
        assert row.tolist() == expected[frozenset({first, second})]
        both = pool(np.vstack([encoded[first].sentence_vectors, encoded[second].sentence_vectors]))
        assert np.allclose(vector, both)
        seen.add(frozenset({first, second}))
    assert frozenset({2, 4}) in seen  # the unknown case was drawn


def test_joined_pairs_leave_a_lone_language_alone_and_change_the_model(document_encoder) -> None:  # type: ignore[no-untyped-def]
    from training.fit import joined_pairs

    texts = [WAGES[0], DIVORCE[0], "老板两年没有付她工资。"]
    encoded = document_encoder.encode_batch(texts)
    truth = np.array([[1, 0], [0, 1], [1, 0]], dtype=np.int8)
    _, _, joined, _, _ = joined_pairs(encoded, texts, truth, ["en", "en", "zh"],
                                   np.ones(3), share=5.0, seed=1)
    assert joined and all("工资" not in text for text in joined)
    plain = train_classifier(_rows(), document_encoder,
                             TrainingConfig(folds=3, word_bits=12, char_bits=12), show_progress=False)
    joined_model = train_classifier(
        _rows(), document_encoder,
        TrainingConfig(folds=3, word_bits=12, char_bits=12, concat_augment=1.0), show_progress=False)
    assert plain.manifest["version"] != joined_model.manifest["version"]
    assert not np.allclose(plain.classifier.estimator.coef_, joined_model.classifier.estimator.coef_)


def test_joined_pairs_change_the_stack_and_the_thresholds(document_encoder) -> None:  # type: ignore[no-untyped-def]
    base = {"folds": 3, "word_bits": 12, "char_bits": 12, "sentence_stack": True}
    alone = train_classifier(_rows(), document_encoder,
                             TrainingConfig(**base, stack_pairs=0.0), show_progress=False)
    paired = train_classifier(_rows(), document_encoder,
                              TrainingConfig(**base, stack_pairs=2.0, thresholds_on_pairs=False),
                              show_progress=False)
    thresholded = train_classifier(_rows(), document_encoder,
                                   TrainingConfig(**base, stack_pairs=2.0), show_progress=False)
    assert alone.classifier.sentence_stack is not None and paired.classifier.sentence_stack is not None
    assert not np.allclose(alone.classifier.sentence_stack, paired.classifier.sentence_stack)
    assert np.allclose(paired.classifier.sentence_stack, thresholded.classifier.sentence_stack)
    assert not np.allclose(paired.classifier.thresholds, thresholded.classifier.thresholds)


def test_the_manifest_names_the_sentence_splitting(trained, document_encoder) -> None:  # type: ignore[no-untyped-def]
    assert trained.manifest["sentence_split"] == document_encoder.splitter.version == 2


def test_a_language_with_enough_rows_gets_thresholds_of_its_own(document_encoder, encoder,
                                                                tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows()
    config = TrainingConfig(folds=3, word_bits=12, char_bits=12, language_threshold_rows=len(rows))
    model = train_classifier(rows, document_encoder, config, show_progress=False)
    assert set(model.classifier.language_thresholds) == {"en"}
    own = model.classifier.language_thresholds["en"]
    assert own.shape == model.classifier.thresholds.shape and ((own > 0) & (own < 1)).all()
    save_classifier(model.classifier, tmp_path, encoder, model.manifest)
    loaded, manifest = load_classifier(tmp_path, encoder)
    np.testing.assert_allclose(loaded.language_thresholds["en"], own)
    assert set(manifest["language_thresholds"]) == {"en"}
    fewer = TrainingConfig(folds=3, word_bits=12, char_bits=12, language_threshold_rows=len(rows) + 1)
    assert train_classifier(rows, document_encoder, fewer, show_progress=False
                            ).classifier.language_thresholds == {}
