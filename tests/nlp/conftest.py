"""Fixtures shared by the redaction tests."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """One redactor (and one loaded pipeline) for every redaction test."""
    return Redactor()


@pytest.fixture(scope="session")
def rules_redactor(redactor: Redactor) -> Redactor:
    """The rules alone, without the learned tagger: for tests of what a rule decides (the
    tagger may remove more, which these tests do not forbid)."""
    return Redactor(redactor.pipeline, tagger=False)


def assert_redacted(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    """Each of `removed` is gone from the redacted text and each of `kept` is still in it."""
    result = redactor.redact(text).text
    for detail in removed:
        assert detail not in result, (detail, result)
    for detail in kept:
        assert detail in result, (detail, result)


class FixedTagger:
    """A tagger that finds the given spans (by their text) and nothing else, so that what the
    redactor does with the tagger's findings is tested apart from what the tagger finds."""

    def __init__(self, found: list[tuple[str, str]]) -> None:
        self.found = found

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(text.index(needle), text.index(needle) + len(needle), kind)
                 for needle, kind in self.found if needle in text] for text in texts]
