import numpy as np

from nlp.lexical import LexicalFeaturizer, fold, negation_tokens


def test_negation_scope_marks_words_until_punctuation() -> None:
    tokens = negation_tokens("She does not want a T visa. She wants a divorce.")
    assert "NEG_visa" in tokens
    assert "divorce" in tokens and "NEG_divorce" not in tokens


def test_negation_cues_in_spanish_french_portuguese() -> None:
    assert "NEG_demandar" in negation_tokens("No quiere demandar al patrón")
    assert "NEG_divorcer" in negation_tokens("Elle ne souhaite pas divorcer")
    assert "NEG_antecedentes" in negation_tokens("Ela não tem antecedentes")


def test_but_ends_the_scope() -> None:
    tokens = negation_tokens("not interested in suing but wants her wages")
    assert "NEG_suing" in tokens and "wages" in tokens


def test_fold_strips_accents_and_case() -> None:
    assert fold("Inmigración São") == "inmigracion sao"


def test_tfidf_rows_are_unit_length_and_need_fit() -> None:
    featurizer = LexicalFeaturizer(word_bits=10, char_bits=10)
    try:
        featurizer.transform(["x"])
        raise AssertionError("transform before fit must fail")
    except RuntimeError:
        pass
    featurizer.fit(["unpaid wages", "t visa and divorce"])
    rows = featurizer.transform(["unpaid wages", "divorce"])
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1))).ravel()
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_resolved_needs_are_marked_done() -> None:
    tokens = negation_tokens("T visa approved in 2023. She already has her green card, but needs SNAP.")
    assert {"DONE_t", "DONE_visa", "DONE_green", "DONE_card"} <= set(tokens)
    assert "snap" in tokens and "needs" in tokens
    spanish = negation_tokens("Visa T aprobada en marzo. Quiere traer a su hija.")
    assert "DONE_visa" in spanish and "hija" in spanish


def test_character_ngrams_come_from_affirmed_words_only() -> None:
    from nlp.lexical import affirmed_text

    assert "visa" not in affirmed_text("T visa approved in 2023. Needs SNAP.")
    assert "snap" in affirmed_text("T visa approved in 2023. Needs SNAP.")
    assert "visa" in affirmed_text("She needs a T visa.")
    assert "demandar" not in affirmed_text("No quiere demandar al patrón.")


def test_every_script_has_words_and_character_ngrams() -> None:
    """Lexical version 3 read a-z only: a Korean, Nepali, Russian or Arabic text had no feature."""
    from nlp.lexical import affirmed_text

    for text, word in [("사장이 월급을 안 줬어요", "월급을"), ("मालिकले तलब दिएन। फेरि", "दिएन"),
                       ("Роботодавець не платив зарплату", "зарплату"),
                       ("صاحب العمل لم يدفع الأجر", "يدفع")]:
        tokens = negation_tokens(text)
        assert fold(word) in tokens, (text, tokens)
        assert fold(word) in affirmed_text(text)
    featurizer = LexicalFeaturizer(word_bits=10, char_bits=10)
    featurizer.fit(["사장이 월급을 안 줬어요", "老板不给我工资"])
    assert featurizer.transform(["월급을 못 받았어요"]).nnz > 0


def test_han_runs_are_read_as_character_pairs_and_chinese_marks_end_scopes() -> None:
    assert negation_tokens("老板不给工资。T签证") == [
        "老板", "板不", "不给", "给工", "工资", "t", "签证"]
    assert negation_tokens("我") == ["我"]
    # A danda ends a Nepali sentence as a full stop does: the negation's scope ends with it.
    assert "NEG_visa" not in negation_tokens("not now। visa")


def test_a_model_of_version_3_is_read_with_version_3_features() -> None:
    """Models fitted before version 4 stay loadable (rollback, evaluation) with their features."""
    import pytest

    from nlp.lexical import SUPPORTED_LEXICAL_VERSIONS

    assert 3 in SUPPORTED_LEXICAL_VERSIONS
    texts = ["사장이 월급을 안 줬어요", "unpaid wages"]
    old = LexicalFeaturizer(word_bits=10, char_bits=10, version=3).fit(texts)
    new = LexicalFeaturizer(word_bits=10, char_bits=10).fit(texts)
    assert old.transform(texts[:1]).nnz == 0 and new.transform(texts[:1]).nnz > 0
    # An English text has the same word and character counts in both.
    assert (old._counts(texts[1:]) != new._counts(texts[1:])).nnz == 0
    assert negation_tokens("She doesn't want it", version=3) == negation_tokens("She doesn't want it")
    with pytest.raises(ValueError, match="version 2"):
        LexicalFeaturizer(version=2)
