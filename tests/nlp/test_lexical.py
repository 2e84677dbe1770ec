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
