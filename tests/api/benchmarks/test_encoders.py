"""The encoder benchmark's measures on encoders whose answers are known."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

from api.benchmarks.encoders import DATA, quality, speed_corpora

SET = json.loads(DATA.read_text(encoding="utf-8"))


def _oracle() -> tuple[dict[str, int], dict[str, int]]:
    """Every translation of a statement, and its category's expertise, map to one axis."""
    by_text = {statement[key]: index for index, statement in enumerate(SET["statements"])
               for key in ["en", *SET["languages"]]}
    by_category = {statement["category"]: index for index, statement in enumerate(SET["statements"])}
    return by_text, by_category


def test_an_encoder_that_understands_everything_scores_one_everywhere() -> None:
    by_text, by_category = _oracle()
    expertise = {item["text"]: by_category[item["category"]] for item in SET["expertise"]}
    size = len(SET["statements"])

    def encode(texts: Sequence[str], role: str) -> np.ndarray:
        vectors = np.zeros((len(texts), size), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, by_text[text] if text in by_text else expertise[text]] = 1.0
        categories = [s["category"] for s in SET["statements"]]
        # A statement also leans toward the expertise axis of its category.
        for row, text in enumerate(texts):
            if text in by_text:
                vectors[row, by_category[categories[by_text[text]]]] += 0.5
        return vectors

    results = quality(encode, SET)
    assert all(results[language]["accuracy_at_1"] == 1.0 for language in SET["languages"])
    assert all(results[language]["expertise_top2"] == 1.0 for language in results)


def test_an_encoder_that_understands_nothing_scores_near_chance() -> None:
    generator = np.random.default_rng(0)
    results = quality(lambda texts, role: generator.normal(size=(len(texts), 64)), SET)
    assert np.mean([results[language]["accuracy_at_1"] for language in SET["languages"]]) < 0.2


def test_the_speed_corpora_hold_every_language() -> None:
    corpora = speed_corpora(SET, count=28)
    assert len(corpora["english"]) == len(corpora["mixed"]) == 28
    assert corpora["mixed"][0] != corpora["english"][0]
