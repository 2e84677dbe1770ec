"""Lexical features beside the embeddings: hashed TF-IDF of words (negation-aware) and characters.

The encoder is English-first; character n-grams carry the shared roots of Spanish, French and
Portuguese legal words ("migra", "divorc", "salari"), and words inside a negation's scope are
marked (``NEG_visa``) so that "does not want a T visa" does not read like "wants a T visa".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from nlp.folding import fold

# Bump when the analyzers change: a saved model's weights only fit the features it was fitted on.
# Version 4: words of every script (version 3 read only a-z and 0-9, so a Korean, Chinese,
# Nepali, Russian, Ukrainian or Arabic text had no lexical feature at all), Han and Kana runs
# as overlapping character pairs, and the sentence marks of those scripts.
LEXICAL_VERSION = 4
# The versions a saved model may have been fitted on, so that a model of an earlier version can
# still be loaded, evaluated and rolled back to.
SUPPORTED_LEXICAL_VERSIONS = (3, 4)
_LATIN_TOKEN_V3 = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?()\n]")

# A word of any script (letters and the marks inside them: Devanagari vowel signs are marks; the
# danda "।" is not, it ends a sentence), a number, or a mark that ends a negation's scope.
_TOKEN = re.compile(r"[^\W\d_][\w\u0300-\u036f\u0900-\u0963\u0966-\u097f]*(?:'[^\W\d_]+)?|\d+"
                    r"|[.,;:!?()\n。、！？；：।،؛]")
# Han and Kana are written without spaces: a run of them is read as its overlapping pairs of
# characters ("老板不给工资" as 老板, 板不, 不给, 给工, 工资), the usual unit of retrieval there.
_NO_SPACE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SCOPE_END = {".", ",", ";", ":", "!", "?", "(", ")", "\n", "。", "、", "！", "？", "；", "：", "।",
              "،", "؛", "but", "pero", "mais", "mas", "however"}
_NEGATION_CUES = {
    # English
    "not", "no", "never", "without", "nor", "none", "neither", "cannot", "n't", "dont",
    "doesnt", "didnt", "isnt", "wasnt", "wont", "declines", "declined", "refuses", "refused",
    "denies", "denied",
    # Spanish
    "nunca", "sin", "tampoco", "ningun", "ninguna", "ni", "jamas",
    # French
    "ne", "n", "pas", "jamais", "aucun", "aucune", "sans",
    # Portuguese
    "nao", "nem", "nenhum", "nenhuma",
}
_NEGATION_SCOPE = 6
# A need already met ("T visa approved in 2023", "ya tiene su residencia") reads like the need
# itself to a bag of words; its words are marked DONE_ like negated ones are marked NEG_.
_RESOLVED_BEFORE = {"already", "ya", "deja", "ja"}
_RESOLVED_AFTER = {
    "approved", "granted", "finalized", "finalised", "resolved", "obtained",
    "aprobada", "aprobado", "concedida", "concedido", "otorgada", "otorgado", "resuelto",
    "approuve", "approuvee", "accorde", "accordee", "obtenu", "obtenue", "regle",
    "aprovado", "aprovada", "deferido", "deferida", "resolvido",
}
_RESOLVED_LOOKBACK = 4


def _raw_tokens(folded: str, version: int = LEXICAL_VERSION) -> list[str]:
    """Words, numbers and scope-ending marks; a Han or Kana run as its pairs of characters."""
    if version == 3:
        return _LATIN_TOKEN_V3.findall(folded)
    tokens: list[str] = []
    for raw in _TOKEN.findall(folded):
        runs = list(_NO_SPACE_RUN.finditer(raw))
        if not runs:
            tokens.append(raw)
            continue
        position = 0
        for run in runs:
            if run.start() > position:
                tokens.append(raw[position : run.start()])
            chars = run.group()
            tokens.extend([chars] if len(chars) == 1 else
                          [chars[index : index + 2] for index in range(len(chars) - 1)])
            position = run.end()
        if position < len(raw):
            tokens.append(raw[position:])
    return tokens


def negation_tokens(text: str, version: int = LEXICAL_VERSION) -> list[str]:
    """Tokens of the folded text; those in a negation's scope get NEG_, in a resolution's DONE_.

    Negation and "already" look forward until punctuation or "but" (at most six tokens); a
    resolution verb ("approved", "aprobada") looks back at most four tokens of its clause.
    """
    tokens: list[str] = []
    clause_start = 0
    prefix, remaining_scope = "", 0
    for raw in _raw_tokens(fold(text), version):
        token = raw[:-3] if raw.endswith("n't") else raw
        if raw in _SCOPE_END:
            remaining_scope, clause_start = 0, len(tokens)
            continue
        if raw in _NEGATION_CUES or raw.endswith("n't"):
            prefix, remaining_scope = "NEG_", _NEGATION_SCOPE
            tokens.append("NEGCUE")
            if token and token != raw:
                tokens.append(token)
            continue
        if raw in _RESOLVED_BEFORE:
            prefix, remaining_scope = "DONE_", _NEGATION_SCOPE
            tokens.append("DONECUE")
            continue
        if raw in _RESOLVED_AFTER:
            first = max(clause_start, len(tokens) - _RESOLVED_LOOKBACK)
            for index in range(first, len(tokens)):
                if not tokens[index].isupper() and "_" not in tokens[index]:
                    tokens[index] = "DONE_" + tokens[index]
            tokens.append("DONECUE")
            continue
        if remaining_scope > 0:
            tokens.append(prefix + token)
            remaining_scope -= 1
        else:
            tokens.append(token)
    return tokens


def affirmed_text(text: str, version: int = LEXICAL_VERSION) -> str:
    """The folded text without negated or resolved words: what character n-grams are taken from.

    A negated or resolved mention ("T visa approved") is represented by its NEG_/DONE_ word
    features alone, so that the character n-grams of "visa" only ever speak for a need.
    """
    return " ".join(token for token in negation_tokens(text, version)
                    if not token.startswith(("NEG_", "DONE_")) and token not in ("NEGCUE", "DONECUE"))


def word_ngrams(text: str, version: int = LEXICAL_VERSION) -> list[str]:
    """Unigrams and bigrams of negation-marked tokens."""
    tokens = negation_tokens(text, version)
    return tokens + [f"{first} {second}" for first, second in zip(tokens, tokens[1:], strict=False)]


class LexicalFeaturizer:
    """Stateless hashing of word and character n-grams, with inverse document frequencies learned in fit."""

    def __init__(self, word_bits: int = 16, char_bits: int = 17,
                 version: int = LEXICAL_VERSION) -> None:
        if version not in SUPPORTED_LEXICAL_VERSIONS:
            raise ValueError(f"lexical features version {version} is not one of "
                             f"{SUPPORTED_LEXICAL_VERSIONS}")
        self.word_bits = word_bits
        self.char_bits = char_bits
        self.version = version
        self._words = HashingVectorizer(
            analyzer=partial(word_ngrams, version=version), n_features=2**word_bits,
            alternate_sign=False, norm=None
        )
        self._chars = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            preprocessor=partial(affirmed_text, version=version),
            n_features=2**char_bits,
            alternate_sign=False,
            norm=None,
        )
        self.idf_: np.ndarray | None = None

    @property
    def n_features(self) -> int:
        """Width of the feature rows."""
        return int(2**self.word_bits + 2**self.char_bits)

    def _counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack(
            [self._words.transform(texts), self._chars.transform(texts)], format="csr"
        )

    def fit(self, texts: Sequence[str]) -> LexicalFeaturizer:
        """Learn smoothed inverse document frequencies."""
        counts = self._counts(texts)
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear TF-IDF rows of unit length."""
        if self.idf_ is None:
            raise RuntimeError("LexicalFeaturizer.transform called before fit")
        # On the stored values in place (no diagonal-matrix products: 2 ms of a classification).
        counts = self._counts(texts).astype(np.float32)
        counts.data = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=np.square(counts.data, dtype=np.float64),
                                    minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        counts.data /= norms[rows].astype(np.float32)
        return counts
